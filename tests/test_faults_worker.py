"""Fault: the worker is killed (kill -9) in the middle of a job, through a real Redis broker and a real
`kechuang worker` process (the broker step of `make test`). The job ends failed "worker lost", nothing it was
writing is kept, and re-running it succeeds with no duplicate rows (docs/adr/0007-lost-jobs.md).

The job is the real platform import (`platforms.import`, 12 rows in one transaction); the crash-test pause
(kechuang.core.faults, on only in test settings) holds it after its 5th row so the test can kill it there.
"""

import os
import signal
import subprocess
import sys
import time

import pytest

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]

ROWS = 12
HEADER = "编号,名称,类型,依托单位,成立日期,状态\n"


def _database_url(connection) -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        if not s["NAME"] or ":memory:" in str(s["NAME"]) or "mode=memory" in str(s["NAME"]):
            pytest.fail("the broker tests need a file database: set KECHUANG_TEST_SQLITE_FILE")
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _worker(env: dict, pool: str, log) -> subprocess.Popen:
    args = ["--pool=solo"] if pool == "solo" else ["--pool=prefork", "--concurrency=1"]
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kechuang.cli",
            "worker",
            *args,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _until(predicate, what: str, log_path, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    pytest.fail(f"{what} not seen after {timeout}s; worker log:\n{log_path.read_text()[-3000:]}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("pool", ["solo", "prefork"])
def test_worker_killed_mid_job_leaves_it_failed_and_data_unchanged_then_rerun_succeeds(pool, staff, tmp_path):
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    import kechuang
    from kechuang.accounts.tests.factories import UnitFactory
    from kechuang.core.exceptions import InvalidTransition
    from kechuang.core.jobs import job_rerun, job_run, job_submit
    from kechuang.core.models import AuditEvent, Job
    from kechuang.platforms.models import Platform

    assert settings.CELERY_BROKER_URL.startswith("redis://") and not settings.CELERY_TASK_ALWAYS_EAGER
    UnitFactory(name="山西大学")
    path = tmp_path / "platforms.csv"
    rows = [f"K{i:02d},崩溃测试平台{i:02d},省重点实验室,山西大学,2021-01-18,运行中" for i in range(ROWS)]
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    paused = tmp_path / "paused"
    src = os.path.dirname(os.path.dirname(kechuang.__file__))
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]),
        "DATABASE_URL": _database_url(connection),
        "DJANGO_SETTINGS_MODULE": "kechuang.settings.test",
        "KECHUANG_FAULT_PAUSE": "platforms.import.row@5",
        "KECHUANG_FAULT_SIGNAL": str(paused),
        "KECHUANG_FAULT_SECONDS": "120",
    }
    log_path = tmp_path / "worker.log"
    log = log_path.open("w")
    worker = _worker(env, pool, log)
    second = None
    try:
        job = job_submit(kind="platforms.import", params={"path": str(path), "commit": True}, actor=staff)
        _until(paused.exists, "the pause after row 5", log_path)
        pid = int(paused.read_text())
        job.refresh_from_db()
        assert job.state == Job.State.RUNNING and job.worker.endswith(f":{pid}")
        assert (pid == worker.pid) == (pool == "solo")

        os.kill(pid, signal.SIGKILL)  # the process holding the job's open transaction
        if pool == "solo":
            worker.wait(timeout=20)
            second = _worker(env, pool, log)  # a restarted worker reaps what its predecessor left
        # prefork: the parent sees its child lost and requeues the message (acks_late, reject_on_worker_lost);
        # the redelivery finds the job running in a dead process, marks it lost and does not run it again.

        def failed():
            job.refresh_from_db()
            return job.state == Job.State.FAILED

        _until(failed, "the job marked failed", log_path)
        assert "worker lost" in job.error, job.error
        assert Platform.objects.count() == 0  # the 5 rows written before the kill were never committed
        platform_type = ContentType.objects.get_for_model(Platform)
        assert not AuditEvent.objects.filter(content_type=platform_type).exists()  # nor their audit events
        trail = list(AuditEvent.objects.for_object(job).order_by("id").values_list("action", flat=True))
        assert trail == ["job.submit", "job.lost"], trail
        assert job.attempts == 1  # it was not silently run again

        job_rerun(actor=staff, job=job)

        def succeeded():
            job.refresh_from_db()
            return job.state in (Job.State.SUCCEEDED, Job.State.FAILED)

        _until(succeeded, "the re-run finished", log_path)
        assert job.state == Job.State.SUCCEEDED, (job.error, log_path.read_text()[-3000:])
        assert job.attempts == 2 and job.result["created"] == ROWS and job.result["committed"]
        codes = list(Platform.objects.values_list("code", flat=True))
        assert sorted(codes) == [f"K{i:02d}" for i in range(ROWS)]  # every row once, none twice

        # Idempotent afterwards too: a succeeded job is not re-run, and a redelivered message is a no-op.
        with pytest.raises(InvalidTransition):
            job_rerun(actor=staff, job=job)
        assert job_run(job.pk).state == Job.State.SUCCEEDED and job.attempts == 2
        assert Platform.objects.count() == ROWS
        trail = list(AuditEvent.objects.for_object(job).order_by("id").values_list("action", flat=True))
        assert trail == ["job.submit", "job.lost", "job.rerun", "job.succeed"], trail
    finally:
        for proc in (second, worker):
            if proc is not None:
                _stop(proc)
        log.close()
