"""Every change made through the Django admin is in the audit trail (issue #14.4): a role given, a field
changed, a password set, an object deleted with what it took along (a review round with its reviews)."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from kechuang.core.admin_audit import AuditedAdminMixin
from kechuang.core.auditchain import chain_verify
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db


def _form_data(response) -> dict:
    """The admin change form's current values, as the browser would post them back."""
    from django.forms import MultiWidget

    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if isinstance(field.widget, MultiWidget):
            for i, part in enumerate(field.widget.decompress(value)):
                data[f"{name}_{i}"] = "" if part is None else str(part)
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = str(value)
    for formset in response.context.get("inline_admin_formsets", []):
        mgmt = formset.formset.management_form
        for name in mgmt.fields:
            data[f"{mgmt.prefix}-{name}"] = str(mgmt[name].value())
    return data


def test_every_registered_model_admin_is_audited():
    assert admin.site._registry
    assert all(isinstance(ma, AuditedAdminMixin) for ma in admin.site._registry.values())


def test_a_role_given_through_the_admin_is_audited(admin_client, admin_user, make_user):
    person = make_user(None, username="newstaff")
    url = f"/admin/accounts/user/{person.pk}/change/"
    data = _form_data(admin_client.get(url))
    data["groups"] = [str(Group.objects.get_or_create(name=Role.STAFF)[0].pk)]
    data["full_name"] = "新同事"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert person.groups.filter(name=Role.STAFF).exists()
    event = AuditEvent.objects.get(action="admin.change", object_id=str(person.pk))
    assert event.actor == admin_user
    assert event.before["groups"] == [] and event.after["groups"] == [Role.STAFF]
    assert event.after["full_name"] == "新同事"
    assert "password" not in event.after
    assert chain_verify().ok


def test_a_password_set_in_the_admin_is_audited_without_the_password(admin_client, make_user):
    person = make_user(None, username="pwchange")
    url = f"/admin/accounts/user/{person.pk}/password/"
    response = admin_client.post(url, {"password1": "Kechuang-new-9876", "password2": "Kechuang-new-9876"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.change", object_id=str(person.pk))
    assert "Kechuang-new-9876" not in str(event.after) and "pbkdf2" not in str(event.after)


def test_an_object_added_through_the_admin_is_audited(admin_client):
    response = admin_client.post(
        "/admin/accounts/unit/add/", {"name": "管理后台新增单位", "kind": "university", "is_active": "on"}
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action="admin.add")
    assert event.after["name"] == "管理后台新增单位"


def test_deleting_a_review_round_records_every_review_it_takes_along(admin_client, admin_user, make_user):
    from kechuang.challenges.models import Application
    from kechuang.challenges.tests.factories import ApplicationFactory
    from kechuang.review.models import Assignment, Review, Round, RoundSubject
    from kechuang.review.tests.factories import ExpertProfileFactory, ReviewFormFactory

    staff = make_user(Role.STAFF, username="roundowner")
    rnd = Round.objects.create(
        title="将被删除的轮次",
        form=ReviewFormFactory(),
        subject_type=ContentType.objects.get_for_model(Application),
        status=Round.Status.REVIEWING,
        created_by=staff,
    )
    reviews = []
    for i in range(3):
        application = ApplicationFactory()
        subject = RoundSubject.objects.create(
            round=rnd,
            content_type=ContentType.objects.get_for_model(Application),
            object_id=application.pk,
            title=application.title,
        )
        expert = ExpertProfileFactory().user
        assignment = Assignment.objects.create(
            round=rnd, subject=subject, expert=expert, affinity=0.5, source="solver"
        )
        reviews.append(
            Review.objects.create(assignment=assignment, status=Review.Status.SUBMITTED, comments=f"意见{i}")
        )
    url = f"/admin/review/round/{rnd.pk}/delete/"
    assert admin_client.get(url).status_code == 200  # the confirmation page lists what goes with it
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Round.objects.filter(pk=rnd.pk).exists() and not Review.objects.exists()
    root = AuditEvent.objects.get(action="admin.delete")
    assert root.object_id == str(rnd.pk) and root.before["title"] == "将被删除的轮次"
    assert root.actor == admin_user
    review_ct = ContentType.objects.get_for_model(Review)
    gone = AuditEvent.objects.filter(action="admin.delete_cascade", content_type=review_ct)
    assert sorted(gone.values_list("object_id", flat=True)) == sorted(str(r.pk) for r in reviews)
    assert {e.before["comments"] for e in gone} == {"意见0", "意见1", "意见2"}
    assert all("将被删除的轮次" in e.reason for e in gone)
    assert AuditEvent.objects.filter(action="admin.delete_cascade").count() >= 9  # subjects, assignments too
    assert chain_verify().ok


def test_deleting_through_the_list_action_is_audited(admin_client):
    from kechuang.accounts.tests.factories import UnitFactory

    units = [UnitFactory(), UnitFactory()]
    response = admin_client.post(
        "/admin/accounts/unit/",
        {"action": "delete_selected", "_selected_action": [u.pk for u in units], "post": "yes"},
    )
    assert response.status_code == 302
    deleted = AuditEvent.objects.filter(action="admin.delete").values_list("object_id", flat=True)
    assert sorted(deleted) == sorted(str(u.pk) for u in units)


def _superuser_request(admin_user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = admin_user
    return request


def test_every_bulk_action_of_every_model_admin_is_audited(admin_user):
    """Third-party admins included (axes, django-otp, auth): every action but delete_selected (audited through
    delete_queryset) is wrapped, so a new action cannot escape the trail."""
    request = _superuser_request(admin_user)
    seen = set()
    for model_admin in admin.site._registry.values():
        for func, name, _description in model_admin.get_actions(request).values():
            seen.add(name)
            assert name == "delete_selected" or getattr(func, "_kechuang_audited", False), (model_admin, name)
    assert {"delete_selected", "cleanup_expired_attempts"} <= seen  # ours and axes' own


def test_a_bulk_action_that_changes_rows_is_audited_per_row(admin_client, monkeypatch):
    groups = [Group.objects.create(name="甲组"), Group.objects.create(name="乙组")]

    @admin.action(description="加上后缀")
    def add_suffix(modeladmin, request, queryset):
        for group in queryset:
            group.name += "（已停用）"
            group.save()

    monkeypatch.setattr(admin.site._registry[Group], "actions", [add_suffix])
    response = admin_client.post(
        "/admin/auth/group/", {"action": "add_suffix", "_selected_action": [g.pk for g in groups]}
    )
    assert response.status_code == 302
    # by the id's number: object_id is text, and "10" sorts before "9" (PostgreSQL's sequences run on)
    events = sorted(AuditEvent.objects.filter(action="admin.action"), key=lambda e: int(e.object_id))
    assert [(e.object_id, e.before, e.after, e.reason) for e in events] == [
        (str(g.pk), {"name": g.name}, {"name": f"{g.name}（已停用）"}, "加上后缀") for g in groups
    ]
    assert all(e.actor.is_superuser for e in events)
    assert chain_verify().ok
