"""The role checks of views and the API (every app), and who sees which job and which part of the audit trail."""

from functools import wraps

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Manager, Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission

from .models import AuditEvent, Job
from .roles import Role, has_role, roles_of


def roles_needed(roles) -> str:
    """Why a page is refused to someone without its roles, in words: which roles it is for (the page's, never
    an object's details) and whom to ask."""
    labels = [str(Role(r).label) for r in roles if r in Role.values]
    return _("此页面只对%(roles)s开放。如需开通，请联系科技厅工作人员。") % {"roles": _("、").join(labels)}


def refuse_unless(allowed: bool, reason) -> None:
    """A write's own check, before the view reads the request's body: PermissionDenied(reason) unless
    `allowed`. The service checks again (it is the rule); checking first keeps a stranger's empty or
    malformed body from being answered 400 about its fields, which would tell them the object exists and
    what a write to it needs (tests/test_permission_matrix.py sends refused roles a bare body)."""
    if not allowed:
        raise PermissionDenied(reason)


class RoleRequiredMixin(AccessMixin):
    """A view for the given roles only: anonymous users go to the login page, others get 403."""

    roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.roles and not has_role(request.user, *self.roles):
            raise PermissionDenied(roles_needed(self.roles))
        return super().dispatch(request, *args, **kwargs)


def role_required(*roles: str):
    """Function-view form of RoleRequiredMixin."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if roles and not has_role(request.user, *roles):
                raise PermissionDenied(roles_needed(roles))
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


def get_visible_or_404(source, /, *, user, visible=None, **lookup):
    """The object `lookup` names, if `user` may see it; otherwise 404 — a missing object and one the user
    may not see answer the same, so a page never tells that a record exists. The one such helper of every
    app's views and API.

    `source` is a model, a queryset (e.g. a selector's `*_visible_to(user)`), or a selector getter:
    a getter is called as `getter(user=user, **lookup)` when no `visible` is given (it filters by user
    itself) and as `getter(**lookup)` when one is; it may return None or raise DoesNotExist.
    `visible(user, obj)` is the app's object predicate (e.g. `permissions.can_view_platform`).
    """
    if isinstance(source, QuerySet | Manager) or (isinstance(source, type) and issubclass(source, Model)):
        obj = get_object_or_404(source, **lookup)
    else:
        try:
            obj = source(**lookup) if visible is not None else source(user=user, **lookup)
        except ObjectDoesNotExist:
            raise Http404 from None
        if obj is None:
            raise Http404
    if visible is not None and not visible(user, obj):
        raise Http404
    return obj


def jobs_visible_to(user) -> QuerySet[Job]:
    """Staff see every job; anyone else only the jobs they started, but those of a staff-only kind (a job a
    person's step queued whose result is staff's: `job_handler(staff_only=True)`, docs/security.md §52)."""
    from .jobs import staff_only_kinds

    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    if has_role(user, Role.STAFF):
        return Job.objects.all()
    return Job.objects.filter(started_by=user).exclude(kind__in=staff_only_kinds())


def can_view_audit_trail(user) -> bool:
    """The whole trail (across objects) is for department staff."""
    return has_role(user, Role.STAFF)


def audit_events_visible_to(user) -> QuerySet[AuditEvent]:
    if not can_view_audit_trail(user):
        return AuditEvent.objects.none()
    return AuditEvent.objects.all()
