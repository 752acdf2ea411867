"""The sign-in backend reads the roles and the unread notifications with the user (issue #19): one query where
there were three, and every change seen on the next request (nothing kept between requests)."""

from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from kechuang.accounts.backends import RolesModelBackend
from kechuang.core.models import Notification
from kechuang.core.notifications import notifications_mark_read
from kechuang.core.roles import roles_of

from .factories import UserFactory


def _notify(user, n):
    for i in range(n):
        Notification.objects.create(recipient=user, title=f"通知{i}", body="")


def test_get_user_loads_roles_and_unread_in_one_query(db, django_assert_num_queries):
    user = UserFactory(roles=["expert", "applicant"])
    other = UserFactory(roles=["staff"])
    _notify(user, 3)
    _notify(other, 2)
    first = Notification.objects.filter(recipient=user).order_by("pk")[0]
    Notification.objects.filter(pk=first.pk).update(read_at=timezone.now())
    with django_assert_num_queries(1):
        loaded = RolesModelBackend().get_user(user.pk)
        assert roles_of(loaded) == {"expert", "applicant"}
        assert loaded._kechuang_unread == 2


def test_superuser_acts_as_staff_and_inactive_or_missing_is_refused(db):
    admin = UserFactory(is_superuser=True)
    assert roles_of(RolesModelBackend().get_user(admin.pk)) == {"staff"}
    gone = UserFactory(roles=["staff"], is_active=False)
    assert RolesModelBackend().get_user(gone.pk) is None
    assert RolesModelBackend().get_user(10**9) is None


def test_a_role_granted_or_revoked_and_a_notice_read_show_on_the_next_request(client, db):
    user = UserFactory(roles=["expert"])
    client.force_login(user, backend="kechuang.accounts.backends.RolesModelBackend")
    _notify(user, 2)
    body = client.get(reverse("web:notifications")).content.decode()
    assert '<span class="badge warn">2</span>' in body
    user.groups.add(Group.objects.get_or_create(name="staff")[0])
    assert "科技厅工作人员" in client.get(reverse("web:notifications")).content.decode()
    user.groups.remove(Group.objects.get(name="staff"))
    assert "科技厅工作人员" not in client.get(reverse("web:notifications")).content.decode()
    client.post(reverse("web:notifications"))
    assert '<span class="badge warn">' not in client.get(reverse("web:notifications")).content.decode()


def test_marking_read_forgets_the_count_loaded_with_the_user(db):
    user = UserFactory()
    _notify(user, 1)
    loaded = RolesModelBackend().get_user(user.pk)
    assert loaded._kechuang_unread == 1
    notifications_mark_read(user=loaded)
    assert not hasattr(loaded, "_kechuang_unread")


def test_the_user_query_is_built_once_and_a_key_that_is_no_number_is_signed_out(db, monkeypatch):
    """The query's SQL is compiled once per process (issue #19: ~7,800 Python calls a request); each request
    runs it with its own key and gets its own person."""
    from django.db.models.sql.compiler import SQLCompiler

    from kechuang.accounts import backends

    one, two = UserFactory(roles=["expert"]), UserFactory(roles=["staff"])
    RolesModelBackend().get_user(one.pk)  # compiled here at the latest
    built = []
    original = SQLCompiler.as_sql
    monkeypatch.setattr(
        SQLCompiler, "as_sql", lambda self, *a, **k: built.append(1) or original(self, *a, **k)
    )
    first, second = RolesModelBackend().get_user(one.pk), RolesModelBackend().get_user(str(two.pk))
    assert (first.pk, roles_of(first)) == (one.pk, {"expert"})
    assert (second.pk, roles_of(second)) == (two.pk, {"staff"})
    assert built == []
    assert RolesModelBackend().get_user("x") is None
    assert backends.user_with_roles_and_unread(None) is None


def test_compiled_refuses_a_query_without_its_marker(db):
    import pytest

    from kechuang.accounts.models import User
    from kechuang.core.queries import Compiled

    with pytest.raises(ValueError):
        Compiled(lambda marker: User.objects.filter(pk=1)).rows(5)
