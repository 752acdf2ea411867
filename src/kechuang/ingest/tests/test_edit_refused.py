"""A refused edit of a report's title, year and region is shown again with what was typed and why."""

import pytest
from django.urls import reverse

from kechuang.ingest.tests.factories import DocumentFactory


@pytest.mark.django_db
def test_a_refused_document_edit_keeps_the_title_and_opens_the_form(client_for, staff):
    document = DocumentFactory()
    r = client_for(staff).post(
        reverse("ingest:document-edit", args=[document.pk]),
        {"title": "强科技行动总结（修订）", "year": "二〇二三"},
    )
    page = r.content.decode()
    assert r.status_code == 400 and 'value="强科技行动总结（修订）"' in page and 'value="二〇二三"' in page
    assert "<details open><summary>" in page and "errorlist" in page
    document.refresh_from_db()
    assert document.title != "强科技行动总结（修订）"
