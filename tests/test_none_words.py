"""“无” in the reader's language where a page says that something has none: an English page read "None" (a
program's empty value, not a word) in the registry result's form of IP, an expert's declared conflicts and a
platform's operators (walk-through of session 29). Each says what there is none of, in Chinese as before."""

import re

import pytest
from django.urls import reverse

from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db

NONE_WORD = re.compile(r">\s*None\s*<|：None|: None\b")


def _no_bare_none(body: str) -> None:
    assert not NONE_WORD.search(body), NONE_WORD.search(body)


def test_a_registered_result_without_ip_says_so(make_user, client_for, english_client_for):
    from kechuang.registry import services
    from kechuang.registry.tests.test_registry import FORM, running_project

    applicant, _unit, _contract, result = running_project(make_user)
    reg = services.registration_create(
        actor=applicant,
        result=result,
        units=[],
        people=[applicant],
        **FORM | {"ip_kind": "none", "ip_numbers": ""},
    )
    url = reverse("registry:result-detail", args=[reg.pk])
    assert "<dt>知识产权形式</dt><dd>无</dd>" in client_for(applicant).get(url).content.decode()
    body = english_client_for(applicant).get(url).content.decode()
    assert "<dd>No intellectual property</dd>" in body
    _no_bare_none(body)


def test_an_expert_without_declared_conflicts_says_none_declared(make_user, client_for, english_client_for):
    from kechuang.review.tests.factories import ExpertProfileFactory

    profile = ExpertProfileFactory()
    staff = make_user(Role.STAFF)
    url = reverse("review:expert-detail", args=[profile.pk])
    assert '<li class="empty">无</li>' in client_for(staff).get(url).content.decode()
    body = english_client_for(staff).get(url).content.decode()
    assert '<li class="empty">None declared</li>' in body
    _no_bare_none(body)
    body = english_client_for(profile.user).get(reverse("review:my-profile")).content.decode()
    assert '<li class="empty">None declared</li>' in body


def test_a_platform_without_operators_says_none_assigned(make_user, client_for, english_client_for):
    from kechuang.platforms.tests.factories import PlatformFactory

    platform = PlatformFactory()
    staff = make_user(Role.STAFF)
    assert "运营人员：无</p>" in client_for(staff).get(platform.get_absolute_url()).content.decode()
    body = english_client_for(staff).get(platform.get_absolute_url()).content.decode()
    assert "Operators: none assigned</p>" in body
    _no_bare_none(body)


def test_a_report_without_repairs_or_mentions_says_so(make_user, client_for, english_client_for):
    from kechuang.ingest.services import document_ingest

    staff = make_user(Role.STAFF)
    document, _created = document_ingest(
        actor=staff, data="2024年工作总结\n全年完成。\n".encode(), filename="r.txt"
    )
    body = english_client_for(staff).get(document.get_absolute_url()).content.decode()
    assert "<dd>none made" in body
    assert "No platform, organisation, region or programme was recognised in the report." in body
    _no_bare_none(body)
    body = client_for(staff).get(document.get_absolute_url()).content.decode()
    assert "报告中没有识别出平台、单位、地区或计划。" in body
