"""Login names stay where staff need them and nowhere else (docs/security.md §19): `/api/me/` names the caller
by the public name, not the login name; the audit trail stores the public name for new events (rows written
before keep the login name — the trail is append-only — and are shown through the actor, never by it); the
audit log still finds a person's events by the login name for staff who know it."""

import pytest
from django.urls import reverse

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.audit import audit_record
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db


def test_api_me_names_the_caller_without_the_login_name(make_user, api_for):
    user = make_user(Role.APPLICANT, username="wmin_login", full_name="王敏", email="wm@example.cn")
    body = api_for(user).get("/api/me/").json()
    assert "username" not in body and body["name"] == "王敏"
    assert "wmin_login" not in str(body)


def test_a_nameless_caller_is_named_by_unit_and_role(make_user, api_for):
    unit = UnitFactory(name="某研究院")
    user = make_user(Role.EXPERT, username="nameless_login", full_name="", unit=unit, email="nl@example.cn")
    body = api_for(user).get("/api/me/").json()
    assert body["name"] == "某研究院 · 评审专家" and "nameless_login" not in str(body)


def test_new_events_store_the_public_name(make_user):
    nameless = make_user(Role.STAFF, username="staff_login_x", full_name="", unit=UnitFactory(name="科技厅"))
    event = audit_record(actor=nameless, action="unit.test", obj=nameless.unit or UnitFactory())
    event.refresh_from_db()
    assert event.actor_repr == "科技厅 · 科技厅工作人员"
    assert "staff_login_x" not in event.actor_repr


def _old_row(actor, obj):
    """A row as written before session 18: the login name in actor_repr (appended as such, not rewritten)."""
    from django.contrib.contenttypes.models import ContentType

    event = AuditEvent(
        actor=actor,
        actor_repr=actor.username,
        action="unit.test",
        content_type=ContentType.objects.get_for_model(obj.__class__),
        object_id=str(obj.pk),
        object_repr=str(obj),
    )
    event.save()
    return event


def test_old_rows_are_shown_by_the_public_name_in_the_api_and_found_by_the_login_name(
    make_user, api_for, client_for, staff
):
    actor = make_user(Role.STAFF, username="old_login_y", full_name="李娜")
    _old_row(actor, UnitFactory())
    rows = api_for(staff).get("/api/audit/", {"action": "unit.test"}).json()["results"]
    assert [r["actor_name"] for r in rows] == ["李娜"]
    page = client_for(staff).get(reverse("core:audit-log"), {"actor": "old_login_y"}).content.decode()
    table = page[page.index("<table") : page.index("</table>")]
    assert "<td>李娜</td>" in table and "old_login_y" not in table  # found by it, shown by the name


def test_the_stale_edit_message_names_the_last_saver_by_the_public_name(make_user):
    from kechuang.core.services import stale_conflict
    from kechuang.platforms.tests.factories import PlatformFactory

    actor = make_user(Role.STAFF, username="old_login_z", full_name="赵六")
    platform = PlatformFactory()
    _old_row(actor, platform)
    stale = type(platform).objects.get(pk=platform.pk)
    stale.name = "别的名字"
    message = str(stale_conflict(obj=stale, update_fields=["name"]))
    assert "赵六" in message and "old_login_z" not in message
