"""Background jobs of the challenge programme."""

from django.utils.translation import gettext_lazy as _

from kechuang.core.jobs import JobContext, job_handler


@job_handler("challenges.flag_milestones", title=_("里程碑逾期预警检查"))
def flag_milestones(job: JobContext, *, today: str | None = None) -> dict:
    """The daily check: close challenges past their deadline, then flag overdue / at-risk milestones."""
    import datetime

    from . import services

    day = datetime.date.fromisoformat(today) if today else None
    closed = services.challenges_close_due()
    counts = services.milestones_flag(today=day, progress=job.progress)
    return {**counts, "challenges_closed": [c.code for c in closed]}
