"""The accounts policy, and the role checks every app's views and API use.

Predicates are `rules` predicates so that `user.has_perm("accounts.change_unit", unit)` works too.
A denied object answers 404 where its existence is not public, 403 where the page itself is refused.
"""

import rules
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from .roles import Role, has_role, roles_of


@rules.predicate
def is_staff_member(user) -> bool:
    return has_role(user, Role.STAFF)


@rules.predicate
def is_commissioner(user) -> bool:
    return has_role(user, Role.COMMISSIONER)


@rules.predicate
def is_expert(user) -> bool:
    return has_role(user, Role.EXPERT)


@rules.predicate
def is_applicant(user) -> bool:
    return has_role(user, Role.APPLICANT)


@rules.predicate
def is_operator(user) -> bool:
    return has_role(user, Role.OPERATOR)


@rules.predicate
def belongs_to_unit(user, obj) -> bool:
    """The object belongs to the user's own unit (obj is a Unit, or has `unit_id`)."""
    if obj is None or not getattr(user, "unit_id", None):
        return False
    unit_id = obj.pk if obj.__class__.__name__ == "Unit" else getattr(obj, "unit_id", None)
    return unit_id == user.unit_id


def can_edit_unit(user, unit) -> bool:
    """Staff edit any unit; a unit user edits their own unit's profile."""
    if is_staff_member(user):
        return True
    if not is_applicant(user):
        return False
    return belongs_to_unit(user, unit)


def can_view_unit(user, unit) -> bool:
    """Units are listed publicly only by name; their profile page is for signed-in users."""
    return bool(getattr(user, "is_authenticated", False))


rules.add_perm("accounts.change_unit", rules.predicate(can_edit_unit))
rules.add_perm("accounts.view_unit", rules.predicate(can_view_unit))


class RoleRequiredMixin(AccessMixin):
    """A view for the given roles only: anonymous users go to the login page, others get 403."""

    roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.roles and not has_role(request.user, *self.roles):
            raise PermissionDenied("role")
        return super().dispatch(request, *args, **kwargs)


def role_required(*roles: str):
    """Function-view form of RoleRequiredMixin."""
    from functools import wraps

    from django.contrib.auth.views import redirect_to_login

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if roles and not has_role(request.user, *roles):
                raise PermissionDenied("role")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class HasRole(BasePermission):
    """DRF: the view's `roles` (for every method) or `write_roles` (for unsafe methods) must be held."""

    message = "您的角色无权访问此接口。"

    def has_permission(self, request, view):
        safe = request.method in ("GET", "HEAD", "OPTIONS")
        # A view may declare no roles (a public read); a write then still needs a signed-in user.
        roles = getattr(view, "roles", ())
        needed = roles if safe else (getattr(view, "write_roles", ()) or roles)
        if not needed:
            return safe or bool(request.user and request.user.is_authenticated)
        if not request.user or not request.user.is_authenticated:
            return False
        return bool(roles_of(request.user) & {str(r) for r in needed})
