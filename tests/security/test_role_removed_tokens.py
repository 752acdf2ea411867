"""A role taken away by any path revokes the person's API tokens, audited `token.revoke` with the reason
`role_removed` and the person who acted (accounts.role_loss; docs/security.md §15): the services, the Django
admin's user form (groups, superuser status), a role group renamed or deleted in the admin (its page and the
bulk action), and code that removes a person from a group from either side. A role given, a group that is not a
role and a group's model permissions revoke nothing."""

import pytest
from django.contrib.auth.models import Group, Permission

from kechuang.accounts import services
from kechuang.accounts.models import ApiToken
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
    return data


def _token(user):
    return services.token_issue(actor=user, user=user, access="read", areas=[], name="脚本")[0]


def _live(user) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()


def _revoked(user, actor) -> AuditEvent:
    token = ApiToken.objects.get(user=user)
    assert token.revoked_at is not None and token.revoke_reason == "role_removed"
    event = AuditEvent.objects.get(action="token.revoke", object_id=str(user.pk))
    assert event.reason == "role_removed" and event.after["tokens"] == [token.prefix]
    assert event.actor == actor, (event.actor, event.actor_repr)
    return event


def _group(role) -> Group:
    return Group.objects.get_or_create(name=str(role))[0]


def test_the_service_revokes_once_and_audits_the_role_change_first(make_user, staff):
    person = make_user(Role.EXPERT)
    _token(person)
    services.user_set_roles(actor=staff, user=person, roles=[Role.EXPERT, Role.APPLICANT])
    assert _live(person) == 1
    services.user_update(actor=staff, user=person, roles=[Role.APPLICANT])
    _revoked(person, staff)
    actions = list(
        AuditEvent.objects.filter(object_id=str(person.pk)).order_by("seq").values_list("action", flat=True)
    )
    assert actions[-2:] == ["user.update", "token.revoke"]


def test_a_role_removed_in_the_admin_user_form_revokes(admin_client, admin_user, make_user):
    person = make_user(Role.STAFF)
    _token(person)
    url = f"/admin/accounts/user/{person.pk}/change/"
    data = _form_data(admin_client.get(url))
    data["groups"] = [str(_group(Role.STAFF).pk), str(_group(Role.EXPERT).pk)]  # one given: kept
    assert admin_client.post(url, data).status_code == 302
    assert _live(person) == 1
    data["groups"] = [str(_group(Role.EXPERT).pk)]  # staff taken away
    assert admin_client.post(url, data).status_code == 302
    _revoked(person, admin_user)
    assert AuditEvent.objects.filter(action="admin.change", object_id=str(person.pk)).count() == 2


def test_superuser_status_taken_away_in_the_admin_revokes(admin_client, admin_user, make_user):
    person = make_user(None, is_superuser=True, is_staff=True)  # acts as staff without the group
    _token(person)
    url = f"/admin/accounts/user/{person.pk}/change/"
    data = _form_data(admin_client.get(url))
    data.pop("is_superuser")
    assert admin_client.post(url, data).status_code == 302
    _revoked(person, admin_user)


def test_superuser_status_taken_from_a_member_of_staff_keeps_the_tokens(make_user):
    person = make_user(Role.STAFF, is_superuser=True)
    _token(person)
    person.is_superuser = False
    person.save()
    assert _live(person) == 1


def test_people_loaded_without_their_superuser_field_cost_no_query_and_still_revoke(
    make_user, django_assert_num_queries
):
    from kechuang.accounts.models import User

    person = make_user(None, is_superuser=True, is_staff=True)
    _token(person)
    with django_assert_num_queries(1):  # the audit log loads actors with .only(): no query per person
        loaded = list(User.objects.filter(pk=person.pk).only("id", "first_name"))
    loaded[0].is_superuser = False
    loaded[0].save()
    assert _live(person) == 0


def test_a_role_group_deleted_in_the_admin_revokes_its_members_tokens(admin_client, admin_user, make_user):
    members = [make_user(Role.COMMISSIONER), make_user(Role.COMMISSIONER)]
    other = make_user(Role.EXPERT)
    for p in [*members, other]:
        _token(p)
    group = _group(Role.COMMISSIONER)
    assert admin_client.post(f"/admin/auth/group/{group.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Group.objects.filter(pk=group.pk).exists()
    for p in members:
        _revoked(p, admin_user)
    assert _live(other) == 1


def test_a_role_group_deleted_by_the_bulk_action_revokes(admin_client, admin_user, make_user):
    person = make_user(Role.OPERATOR)
    _token(person)
    group = _group(Role.OPERATOR)
    response = admin_client.post(
        "/admin/auth/group/", {"action": "delete_selected", "_selected_action": [group.pk], "post": "yes"}
    )
    assert response.status_code == 302 and not Group.objects.filter(pk=group.pk).exists()
    _revoked(person, admin_user)


def test_a_role_group_renamed_in_the_admin_revokes(admin_client, admin_user, make_user):
    person = make_user(Role.EXPERT)
    _token(person)
    group = _group(Role.EXPERT)
    url = f"/admin/auth/group/{group.pk}/change/"
    data = _form_data(admin_client.get(url))
    data["permissions"] = [str(Permission.objects.order_by("pk").first().pk)]  # a permission: not a role
    assert admin_client.post(url, data).status_code == 302
    assert _live(person) == 1
    data["name"] = "expert-old"
    assert admin_client.post(url, data).status_code == 302
    _revoked(person, admin_user)


def test_removal_from_either_side_and_clear_revoke_as_the_system(make_user):
    a, b, c = make_user(Role.APPLICANT), make_user(Role.APPLICANT), make_user(Role.EXPERT)
    club = Group.objects.create(name="读书会")  # not a role
    for p in (a, b, c):
        p.groups.add(club)
        _token(p)
    a.groups.remove(club)
    club.user_set.clear()
    assert (_live(a), _live(b), _live(c)) == (1, 1, 1)
    _group(Role.APPLICANT).user_set.remove(a)
    b.groups.clear()
    c.groups.set([_group(Role.APPLICANT)])
    for p in (a, b, c):
        event = _revoked(p, None)
        assert event.actor_repr == "system"
    d = make_user(Role.COMMISSIONER)
    _token(d)
    _group(Role.COMMISSIONER).user_set.clear()
    _revoked(d, None)
