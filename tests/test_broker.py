"""Jobs through a real Redis broker to a real `kechuang worker` process (run by `make test` when
KECHUANG_TEST_BROKER_URL is set; CI requires it). The worker reads the same test database."""

import os
import subprocess
import sys
import time

import pytest

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


def _database_url(connection) -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        if not s["NAME"] or ":memory:" in str(s["NAME"]) or "mode=memory" in str(s["NAME"]):
            pytest.fail("the broker test needs a file database: set KECHUANG_TEST_SQLITE_FILE")
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _wait(job, timeout=90):
    from kechuang.core.models import Job

    deadline = time.monotonic() + timeout
    seen = set()
    while time.monotonic() < deadline:
        job.refresh_from_db()
        seen.add(job.progress)
        if job.state in (Job.State.SUCCEEDED, Job.State.FAILED):
            return seen
        time.sleep(0.1)
    pytest.fail(f"job {job.pk} still {job.state} after {timeout}s")


def test_jobs_run_in_a_real_worker_through_redis(staff, tmp_path):
    from django.conf import settings
    from django.db import connection

    from kechuang.core.jobs import job_submit
    from kechuang.core.models import Job

    assert settings.CELERY_BROKER_URL.startswith("redis://"), "set CELERY_BROKER_URL for the broker run"
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    import kechuang

    src = os.path.dirname(
        os.path.dirname(kechuang.__file__)
    )  # the same code as this process, not another checkout
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]),
        "DATABASE_URL": _database_url(connection),
        "DJANGO_SETTINGS_MODULE": "kechuang.settings.test",
    }
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kechuang.cli",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        job = job_submit(kind="core.selftest", params={"steps": 5, "sleep": 0.3}, actor=staff)
        assert job.state == Job.State.QUEUED  # not run in this process
        seen = _wait(job)
        assert job.state == Job.State.SUCCEEDED, (job.error, (tmp_path / "worker.log").read_text()[-3000:])
        assert job.result == {"steps": 5} and job.progress == 100 and job.attempts == 1
        assert any(0 < p < 100 for p in seen), f"progress was never seen between 0 and 100: {sorted(seen)}"

        failing = job_submit(kind="core.selftest", params={"steps": 3, "fail_at": 1}, actor=staff)
        _wait(failing)
        assert failing.state == Job.State.FAILED and "failed at step 1" in failing.error
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()
