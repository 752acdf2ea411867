"""Background jobs of the challenge programme."""

from django.utils.translation import gettext_lazy as _

from kechuang.core.jobs import JobContext, job_handler
from kechuang.core.roles import Role, SystemActor


@job_handler("challenges.flag_milestones", title=_("里程碑逾期预警检查"))
def flag_milestones(job: JobContext, *, today: str | None = None) -> dict:
    """The daily check: close challenges past their deadline, then flag overdue / at-risk milestones."""
    import datetime

    from . import services

    day = datetime.date.fromisoformat(today) if today else None
    closed = services.challenges_close_due()
    counts = services.milestones_flag(today=day, progress=job.progress)
    return {**counts, "challenges_closed": [c.code for c in closed]}


@job_handler("challenges.dedup_index", title=_("查重索引"), staff_only=True)
def dedup_index(job: JobContext, *, application_id: int | None = None) -> dict:
    """Index one submitted application (and record its pairs), or rebuild the whole index when no id."""
    from . import services
    from .models import Application

    actor = SystemActor("dedup", frozenset({Role.STAFF.value}))
    if application_id is None:
        return services.dedup_rebuild(actor=actor, progress=job.progress)
    app = Application.objects.filter(pk=application_id).first()
    if app is None:
        return {"pairs": 0}
    return {"pairs": len(services.dedup_index(actor=actor, application=app))}
