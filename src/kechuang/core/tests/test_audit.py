"""The audit trail is append-only through every path: model, queryset, admin, API and the database."""

import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.audit import audit_record, audit_trail_for, snapshot
from kechuang.core.models import AuditEvent, AuditTrailError

pytestmark = pytest.mark.django_db


def _event(staff):
    unit = UnitFactory()
    return audit_record(
        actor=staff, action="unit.test", obj=unit, before={"a": 1}, after={"a": 2}, reason="why"
    )


def test_record_keeps_actor_object_states_and_reason(staff):
    event = _event(staff)
    event.refresh_from_db()
    assert event.actor == staff
    assert event.actor_repr == staff.public_name != staff.username  # the public name (security.md §19)
    assert event.before == {"a": 1} and event.after == {"a": 2}
    assert event.reason == "why"
    assert event.object_id and event.object_repr.startswith("测试单位")


def test_model_save_of_existing_event_is_refused(staff):
    event = _event(staff)
    event.reason = "rewritten"
    with pytest.raises(AuditTrailError):
        event.save()
    event.refresh_from_db()
    assert event.reason == "why"


def test_model_delete_is_refused(staff):
    event = _event(staff)
    with pytest.raises(AuditTrailError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_and_delete_are_refused(staff):
    _event(staff)
    with pytest.raises(AuditTrailError):
        AuditEvent.objects.all().update(reason="x")
    with pytest.raises(AuditTrailError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditTrailError):
        AuditEvent.objects.filter(action="unit.test").delete()


def test_database_refuses_raw_update(staff):
    event = _event(staff)
    with (
        pytest.raises(DatabaseError),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE core_auditevent SET reason = 'forged' WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.reason == "why"


def test_database_refuses_raw_delete_on_postgresql(staff):
    if connection.vendor != "postgresql":
        pytest.skip("DELETE is refused by a trigger on PostgreSQL; on SQLite by the ORM layers (ADR 0003)")
    event = _event(staff)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_admin_cannot_add_change_or_delete(admin_user, staff):
    event = _event(staff)
    model_admin = site._registry[AuditEvent]
    request = RequestFactory().get("/")
    request.user = admin_user
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
    assert model_admin.get_actions(request) == {}


def test_admin_change_form_post_does_not_alter_event(admin_client, staff):
    event = _event(staff)
    url = f"/admin/core/auditevent/{event.pk}/change/"
    response = admin_client.post(url, {"reason": "forged", "action": "forged"})
    assert response.status_code in (200, 403)
    event.refresh_from_db()
    assert event.reason == "why" and event.action == "unit.test"
    response = admin_client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_api_is_read_only(api_for, staff):
    event = _event(staff)
    client = api_for(staff)
    assert client.get("/api/audit/").status_code == 200
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/audit/", {"reason": "forged"}, format="json")
        assert response.status_code == 405, method
        assert response.json()["error"]["code"] == "method_not_allowed"
    event.refresh_from_db()
    assert event.reason == "why"


def test_api_audit_list_is_staff_only(api_for, applicant, expert):
    for user in (applicant, expert):
        response = api_for(user).get("/api/audit/")
        assert response.status_code == 403
        assert "error" in response.json()
    assert api_for(None).get("/api/audit/").status_code == 401


def test_trail_for_object_newest_first_and_snapshot_is_json_safe(staff):
    unit = UnitFactory()
    audit_record(actor=staff, action="first", obj=unit, after=snapshot(unit))
    audit_record(actor=staff, action="second", obj=unit)
    actions = [e.action for e in audit_trail_for(unit)]
    assert actions[:2] == ["second", "first"]
    assert isinstance(AuditEvent.objects.get(action="first").after["created_at"], str)


def test_login_and_logout_are_audited(client, make_user):
    user = make_user(None, username="loginaudit")
    assert (
        client.post(
            "/accounts/login/", {"username": "loginaudit", "password": "correct-horse-battery"}
        ).status_code
        == 302
    )
    client.post("/accounts/logout/")
    actions = list(AuditEvent.objects.filter(actor=user).values_list("action", flat=True))
    assert "auth.login" in actions and "auth.logout" in actions


def test_unit_page_shows_its_trail(client_for, staff):
    unit = UnitFactory()
    audit_record(actor=staff, action="unit.visible-in-trail", obj=unit)
    body = client_for(staff).get(unit.get_absolute_url()).content.decode()
    assert "unit.visible-in-trail" in body
