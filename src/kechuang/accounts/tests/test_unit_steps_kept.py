"""A unit's verification, return and change-request decision refused come back on their page (400), the text
typed kept; one someone already took (a second click, another staff member's tab) answers a page saying by
whom and when (409), never a message after a redirect."""

import pytest

from kechuang.accounts import services
from kechuang.accounts.models import Unit
from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db


def _decided(r, *texts):
    assert r.status_code == 409, r.status_code
    main = r.content.decode().split("<main", 1)[1]
    assert "此事项已由" in main and all(t in main for t in texts), main


def test_a_unit_verified_twice_and_returned_after_it_was_verified(staff, client_for, make_user):
    unit = UnitFactory(status=Unit.Status.PENDING)
    c = client_for(staff)
    assert c.post(f"/accounts/units/{unit.pk}/verify/").status_code == 302
    other = client_for(make_user(Role.STAFF))
    # a second staff member's stale tab: already verified, by whom and when (it was a message after a redirect)
    _decided(other.post(f"/accounts/units/{unit.pk}/verify/"), "已核验")
    # and their return, typed on the old page: the reason kept to copy
    _decided(other.post(f"/accounts/units/{unit.pk}/reject/", {"reason": "执照过期"}), "执照过期")
    unit.refresh_from_db()
    assert unit.status == "verified"


def test_a_change_request_declined_without_a_reason_and_decided_twice(staff, client_for, make_user):
    unit = UnitFactory(status=Unit.Status.VERIFIED)
    user = make_user(Role.APPLICANT, unit=unit)
    _unit, cr = services.unit_update_or_request(
        actor=user, unit=unit, fields={"name": "新名称研究院"}, reason="更名"
    )
    url = cr.get_absolute_url()
    c = client_for(staff)
    r = c.post(url, {"decision": "reject", "note": "", "confirm": "1"})
    assert r.status_code == 400 and "驳回时请写明理由" in r.content.decode()  # it answered 200
    assert 'id="id_note_error"' in r.content.decode()  # beside the note, not only above the form
    r = c.post(url, {"decision": "approve", "note": "材料齐全"})  # a final decision: the box ticked first
    assert (
        r.status_code == 400
        and 'id="id_confirm_error"' in r.content.decode()
        and "材料齐全" in r.content.decode()
    )
    assert c.post(url, {"decision": "approve", "note": "材料齐全", "confirm": "1"}).status_code == 302
    _decided(
        client_for(make_user(Role.STAFF)).post(
            url, {"decision": "reject", "note": "名称不规范", "confirm": "1"}
        ),
        "名称不规范",
    )
