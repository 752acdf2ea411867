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


def roles_of(user) -> frozenset[str]:
    """The roles a user holds. A superuser acts as department staff. Cached on the user object."""
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


def has_role(user, *roles: str) -> bool:
    """True when the user holds any of `roles`."""
    return bool(roles_of(user) & {str(r) for r in roles})


@dataclass(frozen=True)
class SystemActor:
    """Who acts when no person does (a command, a job, the demo loader), with the roles it is given
    explicitly. Audited under its name; never signed in."""

    name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    is_authenticated = False
    is_active = True
    pk = None

    def __str__(self) -> str:
        return self.name


def actor_roles(actor) -> frozenset[str]:
    """The roles an actor acts with: a SystemActor's own, a user's groups (roles_of); none for anything else."""
    if isinstance(actor, SystemActor):
        return frozenset(str(r) for r in actor.roles)
    return roles_of(actor)


NOT_ALLOWED = _("您的角色无权执行此操作。")


def require_role(actor, *roles: str, message=NOT_ALLOWED) -> None:
    """Refuse (core PermissionDenied, 403) unless the actor holds one of `roles`."""
    if not actor_roles(actor) & {str(r) for r in roles}:
        raise PermissionDenied(message)
