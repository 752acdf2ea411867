"""A job that fails by an error in the code tells whoever reads it so in a sentence of their language, with the
job's reference; its traceback goes to the log and to staff only. A job's steps are kept as msgid and
parameters (Job.step_message) and read in the reader's language; an older job shows its stored text."""

import logging

import pytest
from django.core.management import call_command
from django.utils.translation import gettext_lazy

from kechuang.core import jobs_testing  # noqa: F401  (registers core.selftest)
from kechuang.core.jobs import JobContext, job_handler, job_run
from kechuang.core.models import Job

pytestmark = pytest.mark.django_db


@job_handler("core.test_unexpected", title=gettext_lazy("自检任务"))
def _unexpected(job, **params):
    job.progress(10, gettext_lazy("读取数据"))
    return {"x": 1 / 0}


def test_an_unexpected_failure_reads_as_a_sentence_and_its_traceback_is_for_staff(
    applicant, staff, client_for, api_for, caplog, capsys, english, english_client_for
):
    job = Job.objects.create(kind="core.test_unexpected", started_by=applicant)
    with caplog.at_level(logging.ERROR, logger="kechuang.core.jobs"):
        job = job_run(job.pk)
    assert job.state == Job.State.FAILED
    assert "ZeroDivisionError" in job.error and "Traceback" in job.error  # kept for staff
    assert any(r.exc_info and str(job.pk) in r.getMessage() for r in caplog.records)  # and in the log

    page = client_for(applicant).get(job.get_absolute_url()).content.decode()
    assert "处理时出现意外错误" in page and str(job.pk) in page
    assert "Traceback" not in page and "ZeroDivisionError" not in page and "技术细节" not in page
    page = english_client_for(applicant).get(job.get_absolute_url()).content.decode()
    assert "An unexpected error stopped this job" in page and str(job.pk) in page
    assert "处理时出现意外错误" not in page and "Traceback" not in page

    api = api_for(applicant)
    error = api.get(f"/api/jobs/{job.pk}/").json()["error"]
    assert error.startswith("处理时出现意外错误") and "Traceback" not in error
    listed = api.get("/api/jobs/").json()
    assert "Traceback" not in str(listed) and "ZeroDivisionError" not in str(listed)
    error = english(api_for(applicant)).get(f"/api/jobs/{job.pk}/").json()["error"]
    assert error.startswith("An unexpected error stopped this job") and "Traceback" not in error

    page = client_for(staff).get(job.get_absolute_url()).content.decode()
    assert (
        "技术细节（仅工作人员可见）" in page and "ZeroDivisionError" in page and "处理时出现意外错误" in page
    )

    capsys.readouterr()
    call_command(
        "jobs", "list", "--state", "failed"
    )  # the shell (those who run the system): the error itself
    assert "ZeroDivisionError" in capsys.readouterr().out


def test_a_job_that_failed_with_a_traceback_before_this_shows_the_sentence(applicant, english_client_for):
    old = Job.objects.create(
        kind="core.selftest",
        state=Job.State.FAILED,
        started_by=applicant,
        error="KeyError: 'x'\n\nTraceback (most recent call last):\n  File \"a.py\", line 1",
    )
    page = english_client_for(applicant).get(old.get_absolute_url()).content.decode()
    assert "An unexpected error stopped this job" in page and "Traceback" not in page


def test_an_explained_failure_has_no_staff_details(staff, client_for):
    job = Job.objects.create(kind="core.selftest", params={"steps": 4, "fail_at": 1}, started_by=staff)
    job = job_run(job.pk)
    assert job.error_detail == ""
    page = client_for(staff).get(job.get_absolute_url()).content.decode()
    assert "failed at step 1" in page and "技术细节" not in page


def test_steps_read_in_the_readers_language(applicant, client_for, api_for, english, english_client_for):
    job = Job.objects.create(kind="core.selftest", params={"steps": 4}, started_by=applicant)
    job_run(job.pk)
    job.refresh_from_db()
    assert job.message == "第 4 步，共 4 步"  # the stored text in the site's language
    assert "第 4 步，共 4 步" in client_for(applicant).get(job.get_absolute_url()).content.decode()
    page = english_client_for(applicant).get(job.get_absolute_url()).content.decode()
    assert "Step 4 of 4" in page and "第 4 步" not in page
    assert english(api_for(applicant)).get(f"/api/jobs/{job.pk}/").json()["message"] == "Step 4 of 4"

    running = Job.objects.create(kind="core.selftest", state=Job.State.RUNNING, started_by=applicant)
    JobContext(running).progress(10, gettext_lazy("读取数据"))
    running.refresh_from_db()
    assert running.message == "读取数据"
    page = english_client_for(applicant).get(running.get_absolute_url()).content.decode()
    assert "Reading data" in page and "读取数据" not in page


def test_an_older_step_and_a_step_that_is_data_show_as_stored(applicant, english_client_for):
    old = Job.objects.create(
        kind="core.selftest", state=Job.State.RUNNING, message="读取数据", started_by=applicant
    )
    assert "读取数据" in english_client_for(applicant).get(old.get_absolute_url()).content.decode()
    JobContext(old).progress(50, "report-2024.pdf")
    old.refresh_from_db()
    assert old.message == "report-2024.pdf" and old.step_message == {} and old.step_text == "report-2024.pdf"
