"""Who sees which job and which part of the audit trail."""

from django.db.models import QuerySet

from kechuang.accounts.roles import Role, has_role

from .models import AuditEvent, Job


def jobs_visible_to(user) -> QuerySet[Job]:
    """Staff see every job; anyone else only the jobs they started."""
    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    if has_role(user, Role.STAFF):
        return Job.objects.all()
    return Job.objects.filter(started_by=user)


def can_view_audit_trail(user) -> bool:
    """The whole trail (across objects) is for department staff."""
    return has_role(user, Role.STAFF)


def audit_events_visible_to(user) -> QuerySet[AuditEvent]:
    if not can_view_audit_trail(user):
        return AuditEvent.objects.none()
    return AuditEvent.objects.all()
