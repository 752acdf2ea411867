"""Who may see and change platforms, their members, achievements, reports and reorganisations.

The public sees published platforms; staff and commissioners see every platform; an operator sees the
published ones and those they operate, and edits only their own platforms' yearly reports.
"""

from django.db.models import Q, QuerySet

from kechuang.core.roles import Role, has_role

from .models import Platform, YearlyReport


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def operates(user, platform) -> bool:
    """The user is linked to the platform as its operator."""
    if not _signed_in(user):
        return False
    if not has_role(user, Role.OPERATOR):
        return False
    return platform.operators.filter(user=user).exists()


def platforms_visible_to(user) -> QuerySet[Platform]:
    """Staff and commissioners: all; operators: published plus their own; everyone else: published."""
    if has_role(user, Role.STAFF, Role.COMMISSIONER):
        return Platform.objects.all()
    if _signed_in(user) and has_role(user, Role.OPERATOR):
        return Platform.objects.filter(Q(published=True) | Q(operators__user=user)).distinct()
    return Platform.objects.filter(published=True)


def can_view_platform(user, platform) -> bool:
    """See `platforms_visible_to`."""
    if platform.published:
        return True
    if has_role(user, Role.STAFF, Role.COMMISSIONER):
        return True
    return operates(user, platform)


def can_edit_platform(user, platform=None) -> bool:
    """Only department staff change the registry (platforms, links, statuses, reorganisations)."""
    return has_role(user, Role.STAFF)


def can_view_internal(user) -> bool:
    """Members' history, yearly figures and the audit trail are for staff and commissioners."""
    return has_role(user, Role.STAFF, Role.COMMISSIONER)


def reports_visible_to(user) -> QuerySet[YearlyReport]:
    """Staff and commissioners: every report; operators: their platforms' reports; others: none."""
    if has_role(user, Role.STAFF, Role.COMMISSIONER):
        return YearlyReport.objects.all()
    if _signed_in(user) and has_role(user, Role.OPERATOR):
        return YearlyReport.objects.filter(platform__operators__user=user).distinct()
    return YearlyReport.objects.none()


def can_view_report(user, report) -> bool:
    """See `reports_visible_to`."""
    if has_role(user, Role.STAFF, Role.COMMISSIONER):
        return True
    return operates(user, report.platform)


def can_file_report(user, platform) -> bool:
    """Only an operator of the platform starts its yearly report."""
    return operates(user, platform)


def can_edit_report(user, report) -> bool:
    """An operator of the platform edits a draft or returned report; nobody edits a submitted one."""
    if report.status not in (YearlyReport.Status.DRAFT, YearlyReport.Status.RETURNED):
        return False
    return operates(user, report.platform)


def can_review_report(user, report=None) -> bool:
    """Staff accept or return reports."""
    return has_role(user, Role.STAFF)
