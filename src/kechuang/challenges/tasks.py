"""Celery tasks of the challenge programme (for the beat schedule; see docs/challenges.md)."""

from celery import shared_task

from kechuang.core.jobs import job_run
from kechuang.core.models import Job


@shared_task(name="kechuang.challenges.flag_milestones")
def flag_milestones_daily() -> str:
    """Record and run the daily milestone check as a Job (so its progress and result are visible)."""
    from django.utils.translation import gettext as _

    job = Job.objects.create(
        kind="challenges.flag_milestones", title=_("里程碑逾期预警检查（每日）"), params={}
    )
    return job_run(job.pk).state
