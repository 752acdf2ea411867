"""A write is refused for who the caller is before its body is read (tests/test_permission_matrix.py sends every
refused role a bare body; these are the cases it found answering 400 about the body first), and the refusal is
in the caller's language: the services' module-level messages are lazy, not translated once at import."""

import pytest
from django.conf import settings

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.challenges.tests.factories import ApplicationFactory, ContractFactory
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db


def test_a_stranger_to_a_contract_gets_404_whatever_the_body(api_for, make_user):
    contract = ContractFactory(running=True)
    stranger = api_for(make_user(Role.APPLICANT, unit=UnitFactory()))
    for url in (
        f"/api/challenges/contracts/{contract.pk}/changes/",
        f"/api/challenges/contracts/{contract.pk}/results/",
    ):
        for body in ({}, {"kind": "budget"}, {"name": ""}):
            r = stranger.post(url, body, format="json")
            assert r.status_code == 404, (url, body, r.content[:200])
    # the same as for a contract that does not exist: nothing tells a stranger which ids are taken
    assert stranger.post("/api/challenges/contracts/999999/changes/", {}, format="json").status_code == 404


def test_a_role_that_may_not_write_gets_403_with_its_reason_not_the_fields(api_for, make_user):
    contract = ContractFactory(running=True)
    staff = api_for(make_user(Role.STAFF))
    r = staff.post(f"/api/challenges/contracts/{contract.pk}/changes/", {}, format="json")
    assert r.status_code == 403
    assert "承担单位" in r.json()["error"]["message"]
    app = ApplicationFactory()
    r = staff.patch(f"/api/challenges/applications/{app.pk}/edit/", {}, format="json")
    assert r.status_code == 403 and "fields" not in str(r.json()["error"].get("fields") or "")
    unit_user = api_for(make_user(Role.APPLICANT, unit=UnitFactory()))
    r = unit_user.post("/api/units/", {}, format="json")
    assert r.status_code == 403 and "工作人员" in r.json()["error"]["message"]


def test_the_allowed_role_still_gets_the_fields_reasons(api_for, make_user):
    contract = ContractFactory(running=True)
    own = api_for(contract.leader)
    r = own.post(f"/api/challenges/contracts/{contract.pk}/changes/", {}, format="json")
    assert r.status_code == 400 and r.json()["error"]["fields"]


def test_a_service_refusal_is_in_the_callers_language(client, make_user, english):
    """MSG_NOT_YOURS was `gettext` at import: every language got the one active then."""
    app = ApplicationFactory()
    client.force_login(make_user(Role.STAFF))
    english(client)
    r = client.post(f"/challenges/applications/{app.pk}/attach/", {})
    assert r.status_code == 403
    assert "You may not edit this challenge application." in r.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    r = client.post(f"/challenges/applications/{app.pk}/attach/", {})
    assert "您无权修改此揭榜申请。" in r.content.decode()
