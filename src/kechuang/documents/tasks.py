"""Celery tasks of the documents app (for the beat schedule in schedule.py; see docs/opendata.md)."""

from celery import shared_task

from kechuang.core.jobs import job_run
from kechuang.core.models import Job


@shared_task(name="kechuang.documents.opendata_export")
def opendata_export_nightly() -> str:
    """Record and run the nightly open-data export as a Job (so its progress and result are visible)."""
    from django.utils.translation import gettext as _

    job = Job.objects.create(kind="documents.opendata", title=_("生成开放数据包（每日）"), params={})
    return job_run(job.pk).state
