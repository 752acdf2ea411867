"""Verified unit fields: a unit user cannot change what eligibility and conflict rules read (finding: a unit
user PATCHed its unit's kind to apply to a universities-only list); staff approve change requests."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kechuang.accounts import services
from kechuang.accounts.models import Unit, UnitChangeRequest
from kechuang.accounts.tests.factories import UnitFactory, _credit_code
from kechuang.challenges import selectors as ch_selectors
from kechuang.challenges.tests.factories import ApplicationFactory
from kechuang.core.exceptions import ApplicationError, InvalidTransition, PermissionDenied
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db

PROTECTED = {
    "kind": "university",
    "name": "改名后的大学",
    "credit_code": _credit_code(987654),
    "city": "大同市",  # as the API stores it (大同 reads the same)
    "parent": "PARENT",
}


@pytest.fixture
def unit_user(make_user):
    unit = UnitFactory(name="某科技有限公司")
    return make_user(Role.APPLICANT, unit=unit)


@pytest.mark.parametrize("field", sorted(PROTECTED))
def test_unit_user_patch_of_a_verified_field_makes_a_change_request_and_leaves_the_unit(
    field, unit_user, api_for, staff
):
    unit = unit_user.unit
    value = PROTECTED[field]
    if value == "PARENT":
        value = UnitFactory(kind=Unit.Kind.GOVERNMENT, credit_code="").pk
    before = {f: getattr(unit, f) for f in ("kind", "name", "credit_code", "city", "parent_id")}
    body = {field: value}
    if field == "kind":
        body["credit_code"] = ""  # a university needs none: the request as an applicant would send it
    response = api_for(unit_user).patch(f"/api/units/{unit.pk}/", body, format="json")
    assert response.status_code == 202, response.content
    unit.refresh_from_db()
    assert {f: getattr(unit, f) for f in before} == before
    cr = UnitChangeRequest.objects.get(unit=unit)
    assert cr.status == "pending" and cr.changes[field] == value and response.json()["id"] == cr.pk
    assert AuditEvent.objects.filter(action="unit.change_request", object_id=str(unit.pk)).exists()
    assert not AuditEvent.objects.filter(action="unit.update", object_id=str(unit.pk)).exists()


def test_eligibility_reads_the_verified_kind_until_staff_approve(unit_user, api_for, staff):
    unit = unit_user.unit
    app = ApplicationFactory(unit=unit, leader=unit_user, budget_requested=Decimal("600"))
    app.challenge.unit_kinds = ["university"]
    app.challenge.save(update_fields=["unit_kinds"])
    assert "本榜单不接受此类单位揭榜。" in ch_selectors.eligibility_problems(app)
    r = api_for(unit_user).patch(
        f"/api/units/{unit.pk}/", {"kind": "university", "credit_code": ""}, format="json"
    )
    assert r.status_code == 202
    app.unit.refresh_from_db()
    assert "本榜单不接受此类单位揭榜。" in ch_selectors.eligibility_problems(app)
    # Staff approve: the unit is now a university, and eligible.
    cr = UnitChangeRequest.objects.get(unit=unit)
    services.unit_change_request_decide(actor=staff, change_request=cr, approve=True, note="核对营业执照")
    app.unit.refresh_from_db()
    assert app.unit.kind == "university" and ch_selectors.eligibility_problems(app) == []
    event = AuditEvent.objects.filter(action="unit.update", object_id=str(unit.pk)).get()
    assert event.before["kind"] == "enterprise" and event.after["kind"] == "university"


def test_an_unverified_unit_is_not_eligible(unit_user):
    Unit.objects.filter(pk=unit_user.unit_id).update(status=Unit.Status.PENDING)
    app = ApplicationFactory(unit=Unit.objects.get(pk=unit_user.unit_id), leader=unit_user)
    assert any("尚未通过科技厅核验" in p for p in ch_selectors.eligibility_problems(app))


def test_service_refuses_a_direct_change_of_a_verified_field(unit_user):
    with pytest.raises(PermissionDenied) as exc:
        services.unit_update(actor=unit_user, unit=unit_user.unit, kind="university", credit_code="")
    assert exc.value.code == "change_request_required"


def test_free_fields_change_at_once_and_verified_ones_by_request_in_one_patch(unit_user, api_for):
    unit = unit_user.unit
    r = api_for(unit_user).patch(
        f"/api/units/{unit.pk}/", {"address": "太原路1号", "city": "长治"}, format="json"
    )
    assert r.status_code == 202
    unit.refresh_from_db()
    assert unit.address == "太原路1号" and unit.city == "太原市"
    assert UnitChangeRequest.objects.get(unit=unit).changes == {"city": "长治市"}  # the city by its name


def test_a_patch_that_changes_nothing_verified_is_applied(unit_user, api_for):
    unit = unit_user.unit
    r = api_for(unit_user).patch(
        f"/api/units/{unit.pk}/", {"address": "太原路1号", "city": "太原"}, format="json"
    )
    assert r.status_code == 200 and r.json()["address"] == "太原路1号"
    assert not UnitChangeRequest.objects.exists()


def test_staff_change_verified_fields_directly(staff, api_for):
    unit = UnitFactory()
    r = api_for(staff).patch(f"/api/units/{unit.pk}/", {"city": "长治"}, format="json")
    assert r.status_code == 200
    unit.refresh_from_db()
    assert unit.city == "长治市"


def test_other_units_user_cannot_patch_or_request(make_user, api_for):
    unit = UnitFactory()
    other = make_user(Role.APPLICANT, unit=UnitFactory())
    r = api_for(other).patch(f"/api/units/{unit.pk}/", {"city": "长治"}, format="json")
    assert r.status_code == 403
    assert not UnitChangeRequest.objects.exists()
    with pytest.raises(PermissionDenied):
        services.unit_change_request_create(actor=other, unit=unit, changes={"city": "长治"})


def test_change_request_is_validated_now_and_one_at_a_time(unit_user):
    unit = unit_user.unit
    taken = UnitFactory(name="已有单位")
    with pytest.raises(ValidationError):
        services.unit_change_request_create(actor=unit_user, unit=unit, changes={"name": taken.name})
    with pytest.raises(ValidationError):
        services.unit_change_request_create(actor=unit_user, unit=unit, changes={"credit_code": "123"})
    with pytest.raises(ApplicationError):
        services.unit_change_request_create(actor=unit_user, unit=unit, changes={"city": unit.city})
    services.unit_change_request_create(actor=unit_user, unit=unit, changes={"city": "长治"}, reason="搬迁")
    with pytest.raises(ApplicationError) as exc:
        services.unit_change_request_create(actor=unit_user, unit=unit, changes={"city": "晋城"})
    assert exc.value.status == 409


def test_reject_needs_a_reason_and_a_decided_request_stays_decided(unit_user, staff):
    cr = services.unit_change_request_create(actor=unit_user, unit=unit_user.unit, changes={"city": "长治"})
    with pytest.raises(ValidationError):
        services.unit_change_request_decide(actor=staff, change_request=cr, approve=False, note="")
    with pytest.raises(PermissionDenied):
        services.unit_change_request_decide(actor=unit_user, change_request=cr, approve=True)
    services.unit_change_request_decide(actor=staff, change_request=cr, approve=False, note="无证明材料")
    cr.refresh_from_db()
    unit_user.unit.refresh_from_db()
    assert cr.status == "rejected" and unit_user.unit.city == "太原市"
    with pytest.raises(InvalidTransition):
        services.unit_change_request_decide(actor=staff, change_request=cr, approve=True)


def test_edit_page_turns_a_verified_change_into_a_request(unit_user, client_for):
    unit = unit_user.unit
    c = client_for(unit_user)
    page = c.get(f"/accounts/units/{unit.pk}/edit/")
    assert page.status_code == 200
    data = {
        "name": unit.name,
        "kind": "university",
        "credit_code": "",
        "province": unit.province,
        "city": unit.city,
        "reason": "转制",
    }
    r = c.post(f"/accounts/units/{unit.pk}/edit/", data)
    assert r.status_code == 302
    unit.refresh_from_db()
    assert unit.kind == "enterprise"
    assert UnitChangeRequest.objects.get(unit=unit).changes == {"kind": "university", "credit_code": ""}


def test_the_unit_list_links_to_the_change_requests_only_for_whom_may_open_them(
    unit_user, staff, commissioner, client_for
):
    """A commissioner sees the unit list but not the change requests' list (staff's): no link to a page
    that answers 403 (found walking the demo as the commissioner)."""
    services.unit_change_request_create(actor=unit_user, unit=unit_user.unit, changes={"city": "长治"})
    link = 'href="/accounts/unit-changes/"'
    assert link in client_for(staff).get("/accounts/units/").content.decode()
    page = client_for(commissioner).get("/accounts/units/")
    assert page.status_code == 200 and link not in page.content.decode()
    assert client_for(commissioner).get("/accounts/unit-changes/").status_code == 403
