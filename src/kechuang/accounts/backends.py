"""The sign-in backend: Django's ModelBackend whose `get_user` (once per request, from the session) also reads
the person's roles and unread notifications in the same query (issue #19).

Every signed-in page asked the database three times before its view ran its own queries: the user, the user's
groups (`core.roles.roles_of`) and the unread notifications (the layout's badge). Here one query loads the user
with one EXISTS per role and the unread count as subqueries; `roles_of` and the layout read them from the user
object. Nothing is cached between requests: a role granted or revoked, or a notification read, shows on the
next request, as before.
"""

import unicodedata

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


def _folded(typed) -> str:
    """What was typed, trimmed and in Unicode's compatibility form (NFKC: full-width letters and `＠`, ligatures,
    the Kelvin sign), as Django's sign-in form already gives it to `authenticate`: the token endpoint and any
    other caller find the account by the same text (docs/security.md §17)."""
    return unicodedata.normalize("NFKC", typed).strip() if isinstance(typed, str) else ""


def account_for(typed):
    """The account a person means by what they typed at a sign-in (docs/adr/0017): their e-mail address, in any
    letter case — the way people sign in; or the account's login name, exactly or in another letter case (the
    login name is never shown to a person any more; scripts and the command line may still use it). An address
    shared by several accounts names none of them (their login names still do), rather than one picked at
    random. None when nothing matches."""
    text = _folded(typed)
    if not text:
        return None
    from .models import fold_email

    manager = get_user_model()._default_manager
    if "@" in text:
        found = list(manager.filter(email_key=fold_email(text)).order_by("pk")[:2])
        if len(found) == 1:
            return found[0]
        if found:
            return None
    exact = manager.filter(username=text).first()
    if exact is not None:
        return exact
    found = list(manager.filter(username__iexact=text).order_by("pk")[:2])
    return found[0] if len(found) == 1 else None


def lockout_name(request, credentials=None) -> str | None:
    """The name django-axes counts failed sign-ins under (AXES_USERNAME_CALLABLE): one per account, whatever the
    person typed — the address, its letter cases, the login name — so five failures spread over the ways of
    naming an account lock that account (with the address they came from), not five names of it. The account's
    login name is that one name (what `user.get_username()` gives the other callers: the code page, the
    password change, the token page, the reset after a full sign-in). Text that names no account is counted as
    typed, trimmed, NFKC-folded and lower-cased, so its letter cases count as one too."""
    if credentials:
        typed = credentials.get("username")
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", None) or {}
        typed = data.get("username")
    if typed is None:
        return None
    account = account_for(typed)
    if account is not None:
        return account.get_username()
    # lower(), not casefold(): casefold takes ß for ss where the database's iexact does not, so the failures
    # spread over jess@… and jeß@… were one name for an unknown address and two for a known one, and the
    # lockout told which addresses have accounts (docs/security.md §17). After NFKC, lower() folds no other
    # character into ASCII: for an ASCII address it folds exactly what iexact matches.
    return _folded(str(typed)).lower()


class RolesModelBackend(ModelBackend):
    """ModelBackend signing a person in by their e-mail address (or the login name: `account_for`); `get_user`
    loads the roles and the unread count with the user (one query, not three)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = account_for(username)
        if user is None:
            get_user_model()().set_password(password)  # as long as a known account takes (Django's own guard)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        user = user_with_roles_and_unread(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
