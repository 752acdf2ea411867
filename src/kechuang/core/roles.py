"""The roles of Kechuang and the checks on them, for every app.

Each role is a Django Group of the same name (`accounts` creates them). Views use `core.permissions`
(`RoleRequiredMixin`, `role_required`, the API's `HasRole`); services check their actor with `require_role`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
