import pytest

from kechuang.core import jobs_testing  # noqa: F401  (registers core.selftest)
from kechuang.core.jobs import job_run_with_bar, job_submit
from kechuang.core.models import AuditEvent, Job
from kechuang.core.roles import Role

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
    assert seen[-1][1] == "第 5 步，共 5 步"


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


def _dead_pid() -> int:
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _running(staff, worker: str, heartbeat_age: float = 0) -> Job:
    import datetime

    from django.utils import timezone

    beat = timezone.now() - datetime.timedelta(seconds=heartbeat_age)
    return Job.objects.create(
        kind="core.selftest",
        params={"steps": 2},
        started_by=staff,
        state=Job.State.RUNNING,
        attempts=1,
        worker=worker,
        heartbeat_at=beat,
        started_at=beat,
    )


def test_a_failed_or_running_job_is_not_run_again_by_a_redelivered_message(staff):
    from kechuang.core.jobs import job_run, this_worker

    failed = job_submit(kind="core.selftest", params={"steps": 3, "fail_at": 1}, actor=staff)
    assert job_run(failed.pk).state == Job.State.FAILED
    failed.refresh_from_db()
    assert failed.attempts == 1 and "failed at step 1" in failed.error
    alive = _running(staff, this_worker())  # running in a live process (this one): left alone
    assert job_run(alive.pk).state == Job.State.RUNNING
    alive.refresh_from_db()
    assert alive.attempts == 1 and alive.progress == 0


def test_reaper_marks_jobs_of_dead_processes_failed_and_audits_it(staff, settings):
    import socket

    from kechuang.core.jobs import job_reap_lost, job_run, this_worker

    host = socket.gethostname()
    dead = _running(staff, f"{host}:{_dead_pid()}")
    alive = _running(staff, this_worker(), heartbeat_age=10 * 3600)  # silent, but its process exists
    far = _running(staff, "other-host:4242", heartbeat_age=settings.JOB_LOST_AFTER + 60)
    near = _running(staff, "other-host:4243", heartbeat_age=60)
    lost = job_reap_lost()
    assert {j.pk for j in lost} == {dead.pk, far.pk}
    for job in (dead, far, alive, near):
        job.refresh_from_db()
    assert (
        dead.state == far.state == Job.State.FAILED
        and "worker lost" in dead.error
        and "worker lost" in far.error
    )
    assert alive.state == near.state == Job.State.RUNNING
    assert AuditEvent.objects.filter(action="job.lost", object_id=str(dead.pk)).count() == 1
    assert job_reap_lost() == []  # once
    # `kechuang beat` runs the same reaper every five minutes.
    from kechuang.celery import app
    from kechuang.core.tasks import reap_lost_jobs

    assert app.conf.beat_schedule["core-reap-lost-jobs"]["task"] == reap_lost_jobs.name
    late = _running(staff, f"{host}:{_dead_pid()}")
    assert reap_lost_jobs.delay().get() == 1
    late.refresh_from_db()
    assert late.state == Job.State.FAILED
    # A redelivered message for a job whose process died marks it lost instead of running it.
    other = _running(staff, f"{host}:{_dead_pid()}")
    assert job_run(other.pk).state == Job.State.FAILED
    other.refresh_from_db()
    assert (
        other.attempts == 1 and AuditEvent.objects.filter(action="job.lost", object_id=str(other.pk)).exists()
    )


def test_rerun_from_the_job_page_by_its_starter_or_staff(client_for, staff, applicant, expert, make_user):
    job = job_submit(kind="core.selftest", params={"steps": 2, "fail_at": 1}, actor=applicant)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    page = client_for(applicant).get(job.get_absolute_url()).content.decode()
    assert 'name="rerun"' in page
    assert client_for(expert).post(job.get_absolute_url(), {"rerun": "1"}).status_code == 404
    other_applicant = make_user(Role.APPLICANT)
    assert client_for(other_applicant).post(job.get_absolute_url(), {"rerun": "1"}).status_code == 404
    # Same parameters, so it fails again at step 1: a second attempt, audited.
    r = client_for(applicant).post(job.get_absolute_url(), {"rerun": "1"})
    assert r.status_code == 302
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.attempts == 2
    rerun = AuditEvent.objects.get(action="job.rerun", object_id=str(job.pk))
    assert rerun.actor == applicant and "failed at step 1" in rerun.reason
    # Staff re-run it too; a succeeded job offers no re-run and refuses one.
    Job.objects.filter(pk=job.pk).update(params={"steps": 2})
    client_for(staff).post(job.get_absolute_url(), {"rerun": "1"})
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and job.attempts == 3
    assert 'name="rerun"' not in client_for(staff).get(job.get_absolute_url()).content.decode()
    # a stale tab's re-run: a page saying who re-ran it and when, and that it succeeded (409; it was a
    # message after a redirect)
    r = client_for(applicant).post(job.get_absolute_url(), {"rerun": "1"})
    assert r.status_code == 409
    main = r.content.decode().split("<main", 1)[1]
    assert "此事项已由" in main and "已完成" in main, main
    assert job.attempts == Job.objects.get(pk=job.pk).attempts


def test_jobs_command_lists_reaps_and_reruns(staff, capsys):
    import socket

    from django.core.management import call_command
    from django.core.management.base import CommandError

    lost = _running(staff, f"{socket.gethostname()}:{_dead_pid()}")
    call_command("jobs", "reap")
    assert "1 lost job(s)" in capsys.readouterr().out
    call_command("jobs", "list", "--state", "failed")
    assert str(lost.pk) in capsys.readouterr().out
    call_command("jobs", "rerun", str(lost.pk))
    lost.refresh_from_db()
    assert lost.state == Job.State.SUCCEEDED and lost.attempts == 2
    assert AuditEvent.objects.get(action="job.rerun", object_id=str(lost.pk)).actor_repr.startswith("cli:")
    with pytest.raises(CommandError, match="只有失败的任务"):
        call_command("jobs", "rerun", str(lost.pk))
    with pytest.raises(CommandError, match="no job"):
        call_command("jobs", "rerun", "not-a-uuid")


def test_fault_injection_is_off_in_production_whatever_the_environment(monkeypatch, settings, tmp_path):
    import importlib
    import sys

    from kechuang.core.faults import fault_point

    monkeypatch.setenv("KECHUANG_FAULT_PAUSE", "core.test.point")
    monkeypatch.setenv("KECHUANG_FAULT_SIGNAL", str(tmp_path / "paused"))
    monkeypatch.setenv("KECHUANG_FAULT_SECONDS", "0")
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("FAULT_INJECTION", "1")
    # A fresh import of the production settings (and the base they read the environment in).
    for name in ("kechuang.settings.base", "kechuang.settings.prod"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    prod = importlib.import_module("kechuang.settings.prod")
    assert prod.FAULT_INJECTION is False
    settings.FAULT_INJECTION = prod.FAULT_INJECTION
    fault_point("core.test.point")
    assert not (tmp_path / "paused").exists()
    settings.FAULT_INJECTION = True  # the test settings: the same call pauses (for 0 s) and signals
    fault_point("core.test.point")
    assert (tmp_path / "paused").read_text() == str(__import__("os").getpid())
