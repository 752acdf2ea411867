"""The official documents write money as the pages do (people37): each amount with its unit (850 万元,
3 亿元), no heading saying （万元） or （元） over bare figures like 3000000.00."""

import re

from django.template.loader import render_to_string
from django.utils import timezone, translation

from kechuang.documents import content
from kechuang.documents.models import DocumentKind

from .world import project


def _html(kind, contract, payment=None):
    build, template = content.BUILDERS[kind]
    title, ctx = build(contract, payment)
    with translation.override("zh-hans"):
        return render_to_string(template, {**ctx, "title": title, "issued_on": timezone.localdate()})


def test_the_documents_write_amounts_with_their_unit(db):
    contract, payment, _experts = project(reviews=0, acceptance=False)
    for kind in (DocumentKind.NOTICE, DocumentKind.CONTRACT, DocumentKind.PAYMENT):
        html = _html(kind, contract, payment if kind == DocumentKind.PAYMENT else None)
        assert "（万元）" not in html and "（元）" not in html, kind
        assert not re.search(r"\d{7}\.\d\d", html), kind  # no 3000000.00
        assert "万元" in html, kind
    notice = _html(DocumentKind.NOTICE, contract)
    assert " 万元 万元" not in notice and "万元万元" not in notice
