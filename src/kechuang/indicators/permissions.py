"""The indicators policy: the public reads published indicators; department staff edit everything."""

from django.db.models import QuerySet

from kechuang.core.roles import Role, has_role, roles_of

from .models import IndexRun, Indicator, Value

# Signed-in department users who may see unpublished indicators (read only, except staff).
INSIDE_ROLES = (Role.STAFF, Role.COMMISSIONER)


def indicators_visible_to(user) -> QuerySet[Indicator]:
    """Staff and commissioners see every indicator; everyone else only published ones."""
    qs = Indicator.objects.all()
    if has_role(user, *INSIDE_ROLES):
        return qs
    return qs.filter(published=True)


def values_visible_to(user) -> QuerySet[Value]:
    """Values of the indicators the user may see."""
    qs = Value.objects.all()
    if has_role(user, *INSIDE_ROLES):
        return qs
    return qs.filter(indicator__published=True)


def index_runs_visible_to(user) -> QuerySet[IndexRun]:
    """Staff and commissioners see every run; others only runs computed from published indicators."""
    qs = IndexRun.objects.all()
    if has_role(user, *INSIDE_ROLES):
        return qs
    return qs.filter(public=True)


def can_view_indicator(user, indicator: Indicator) -> bool:
    """A published indicator is public; an unpublished one is for staff and commissioners."""
    if indicator.published:
        return True
    return has_role(user, *INSIDE_ROLES)


def can_edit_indicator(user, indicator: Indicator | None = None) -> bool:
    """Only department staff define and change indicators."""
    return has_role(user, Role.STAFF)


def can_edit_value(user, value: Value | None = None) -> bool:
    """Only department staff type in, import or correct values."""
    return has_role(user, Role.STAFF)


def can_edit_target(user, target=None) -> bool:
    """Only department staff set targets."""
    return has_role(user, Role.STAFF)


def can_edit_framework(user, framework=None) -> bool:
    """Only department staff change framework weights and standard values."""
    return has_role(user, Role.STAFF)


def can_run_index(user, framework=None) -> bool:
    """Department staff compute and store index runs."""
    return has_role(user, Role.STAFF)


def can_analyse_run(user, run=None) -> bool:
    """Department staff analyse index runs (uncertainty, sensitivity, what it would take)."""
    return has_role(user, Role.STAFF)


def is_inside(user) -> bool:
    """Staff or commissioner: sees unpublished indicators and internal runs."""
    return bool(roles_of(user) & {str(r) for r in INSIDE_ROLES})
