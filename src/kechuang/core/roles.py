"""The roles of Kechuang and the checks on them, for every app.

Each role is a Django Group of the same name (`accounts` creates them). Views use `core.permissions`
(`RoleRequiredMixin`, `role_required`, the API's `HasRole`); services check their actor with `require_role`.
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from .exceptions import PermissionDenied


class Role(models.TextChoices):
    STAFF = "staff", _("科技厅工作人员")
    COMMISSIONER = "commissioner", _("项目专员")
    EXPERT = "expert", _("评审专家")
    APPLICANT = "applicant", _("单位用户（申报方）")
    OPERATOR = "operator", _("平台运营人员")


PUBLIC = "public"  # not a group: anyone, signed in or not
ALL_ROLES = frozenset(Role.values)


@dataclass(frozen=True)
class SystemActor:
    """Who acts when no person does (a command, a job, the demo loader), with the roles it is given
    explicitly. Audited under its name; never signed in; holds no object (it is no unit's member, no
    platform's operator), so object checks that ask "is this person one of ..." do not apply to it."""

    name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    is_authenticated = False
    is_active = True
    pk = None

    def __str__(self) -> str:
        return self.name


# The unattended jobs and commands act as department staff; the demo loader with every role.
SYSTEM = SystemActor("system", frozenset({Role.STAFF.value}))
DEMO = SystemActor("demo", ALL_ROLES)


def is_system(actor) -> bool:
    """True for a SystemActor (a command, job or loader), false for a person or nobody."""
    return isinstance(actor, SystemActor)


def person(actor):
    """The signed-in user behind an actor (for "created by" columns); None for a SystemActor or nobody."""
    return actor if getattr(actor, "is_authenticated", False) else None


def roles_of(user) -> frozenset[str]:
    """The roles an actor holds: a SystemActor's own, a signed-in user's groups (a superuser acts as
    department staff; cached on the user object), none for anyone else. A name is not an actor (TypeError)."""
    if isinstance(user, SystemActor):
        return frozenset(str(r) for r in user.roles)
    if isinstance(user, str):
        raise TypeError(f"an actor is a user or a core.roles.SystemActor, not the name {user!r}")
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_kechuang_roles", None)
    if cached is not None:
        return cached
    names = frozenset(n for n in user.groups.values_list("name", flat=True) if n in ALL_ROLES)
    if user.is_superuser:
        names = names | {Role.STAFF.value}
    user._kechuang_roles = names
    return names


def actor_roles(actor) -> frozenset[str]:
    """The roles an actor acts with (the same as roles_of: the one rule for users and system actors)."""
    return roles_of(actor)


def has_role(user, *roles: str) -> bool:
    """True when the user holds any of `roles`."""
    return bool(roles_of(user) & {str(r) for r in roles})


NOT_ALLOWED = _("您的角色无权执行此操作。")


def require_role(actor, *roles: str, message=NOT_ALLOWED) -> None:
    """Refuse (core PermissionDenied, 403) unless the actor holds one of `roles`."""
    if not actor_roles(actor) & {str(r) for r in roles}:
        raise PermissionDenied(message)
