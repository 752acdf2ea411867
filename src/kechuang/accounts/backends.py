"""The sign-in backend: Django's ModelBackend whose `get_user` (once per request, from the session) also reads
the person's roles and unread notifications in the same query (issue #19).

Every signed-in page asked the database three times before its view ran its own queries: the user, the user's
groups (`core.roles.roles_of`) and the unread notifications (the layout's badge). Here one query loads the user
with one EXISTS per role and the unread count as subqueries; `roles_of` and the layout read them from the user
object. Nothing is cached between requests: a role granted or revoked, or a notification read, shows on the
next request, as before.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from kechuang.core.models import Notification
from kechuang.core.queries import Compiled
from kechuang.core.roles import ALL_ROLES, Role

ROLE_FLAG = "_has_role_{}"


def _user_query(pk):
    """The user with key `pk`, one EXISTS per role and the unread count (its SQL built once per process)."""
    User = get_user_model()
    groups = User.groups.through.objects.filter(user_id=OuterRef("pk"))
    unread = (
        Notification.objects.filter(recipient_id=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        User._default_manager.annotate(
            **{ROLE_FLAG.format(r): Exists(groups.filter(group__name=r)) for r in sorted(ALL_ROLES)},
            _unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)),
        )
        .filter(pk=pk)
        .order_by()
    )


_USER = Compiled(_user_query)


def user_with_roles_and_unread(pk):
    """The user with key `pk` (or None), with `_kechuang_roles` and `_kechuang_unread` set."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):  # a session's key that is no user's: signed out, as Django's get_user
        return None
    users = _USER.rows(pk)
    if not users:
        return None
    user = users[0]
    roles = frozenset(r for r in ALL_ROLES if getattr(user, ROLE_FLAG.format(r)))
    if user.is_superuser:
        roles |= {Role.STAFF.value}
    if user.is_active:  # roles_of gives an inactive user none (ModelBackend refuses them anyway)
        user._kechuang_roles = roles
    user._kechuang_unread = user._unread
    return user


class RolesModelBackend(ModelBackend):
    """ModelBackend; `get_user` loads the roles and the unread count with the user (one query, not three)."""

    def get_user(self, user_id):
        user = user_with_roles_and_unread(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
