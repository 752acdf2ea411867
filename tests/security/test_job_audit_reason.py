"""A failed job's audit event holds the sentence and the job's reference, never the traceback.

The trail is append-only and read by staff on the audit log and by whoever may see the job's trail; a
traceback (and the exception's own text: values, file paths, SQL) belongs in the log, where an administrator
finds it by the job's reference. `Job.error` keeps it for staff on the job page, until a re-run clears it."""

import pytest
from django.utils.translation import gettext_lazy

from kechuang.core import jobs_testing  # noqa: F401  (registers core.selftest)
from kechuang.core.jobs import job_handler, job_rerun, job_run
from kechuang.core.models import AuditEvent, Job

pytestmark = pytest.mark.django_db


@job_handler("core.test_leaky", title=gettext_lazy("自检任务"))
def _leaky(job, **params):
    raise ValueError("password=hunter2 at /srv/kechuang/var/secret_key")  # pragma: allowlist secret


def _failed(staff) -> Job:
    job = Job.objects.create(kind="core.test_leaky", started_by=staff)
    job = job_run(job.pk)
    assert job.state == Job.State.FAILED and "Traceback" in job.error  # kept for staff on the job page
    return job


def test_an_unexpected_failure_is_audited_by_its_sentence_and_reference(staff):
    job = _failed(staff)
    reason = AuditEvent.objects.get(action="job.fail", object_id=str(job.pk)).reason
    assert "Traceback" not in reason and 'File "' not in reason
    assert "hunter2" not in reason and "ValueError" not in reason  # the exception's text stays in the log
    assert str(job.pk) in reason and "意外错误" in reason


def test_a_rerun_quotes_the_sentence_not_the_traceback(staff):
    job = _failed(staff)
    job_rerun(actor=staff, job=job)
    reason = AuditEvent.objects.get(action="job.rerun", object_id=str(job.pk)).reason
    assert "Traceback" not in reason and "hunter2" not in reason and str(job.pk) in reason


def test_an_explained_failure_keeps_its_sentence(staff):
    job = Job.objects.create(kind="core.selftest", params={"steps": 4, "fail_at": 2}, started_by=staff)
    job = job_run(job.pk)
    reason = AuditEvent.objects.get(action="job.fail", object_id=str(job.pk)).reason
    assert reason == "selftest failed at step 2 as asked"
