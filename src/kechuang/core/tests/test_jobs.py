import pytest

from kechuang.core import jobs_testing  # noqa: F401  (registers core.selftest)
from kechuang.core.jobs import job_run_with_bar, job_submit
from kechuang.core.models import AuditEvent, Job

pytestmark = pytest.mark.django_db(transaction=True)


def test_job_runs_eagerly_and_reports_progress(staff):
    seen = []
    job = job_run_with_bar(kind="core.selftest", params={"steps": 4}, actor=staff)
    assert job.state == Job.State.SUCCEEDED
    assert job.progress == 100
    assert job.result == {"steps": 4}
    assert job.started_at and job.finished_at and job.attempts == 1
    del seen


def test_progress_callback_sees_each_step(staff):
    from kechuang.core.jobs import job_run

    job = Job.objects.create(kind="core.selftest", params={"steps": 5}, started_by=staff)
    seen = []
    job_run(job.pk, on_progress=lambda pct, msg: seen.append((pct, msg)))
    assert [p for p, _ in seen] == [20, 40, 60, 80, 100]
    assert seen[-1][1] == "step 5/5"


def test_failure_is_recorded_with_its_error(staff):
    job = job_submit(kind="core.selftest", params={"steps": 4, "fail_at": 2}, actor=staff)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "failed at step 2" in job.error
    assert job.progress == 50  # the progress reached before the failure is kept
    assert AuditEvent.objects.filter(action="job.fail", object_id=str(job.pk)).exists()


def test_unknown_kind_is_refused(staff):
    from kechuang.core.exceptions import ApplicationError

    with pytest.raises(ApplicationError):
        job_submit(kind="no.such.kind", actor=staff)


def test_job_page_and_api_show_progress_to_owner_only(client_for, api_for, staff, applicant, expert):
    job = job_submit(kind="core.selftest", params={"steps": 2}, actor=applicant)
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    assert client_for(applicant).get(job.get_absolute_url()).status_code == 200
    assert client_for(staff).get(job.get_absolute_url()).status_code == 200
    assert client_for(expert).get(job.get_absolute_url()).status_code == 404
    data = api_for(applicant).get(f"/api/jobs/{job.pk}/").json()
    assert data["state"] == "succeeded" and data["progress"] == 100
    assert api_for(expert).get(f"/api/jobs/{job.pk}/").status_code == 404


def test_htmx_request_gets_the_progress_fragment(client_for, staff):
    job = job_submit(kind="core.selftest", params={"steps": 1}, actor=staff)
    response = client_for(staff).get(job.get_absolute_url(), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="job-progress"' in body and "<html" not in body


def test_redelivered_message_does_not_rerun_a_succeeded_job(staff):
    from kechuang.core.tasks import run_job

    job = job_submit(kind="core.selftest", params={"steps": 1}, actor=staff)
    assert run_job(str(job.pk)) == "succeeded"
    job.refresh_from_db()
    assert job.attempts == 1
