"""Background jobs: a registry of handlers, a Job row per run, progress a person can watch.

An app registers a handler in its `jobs.py` (autodiscovered):

    @job_handler("ingest.batch", title=_("导入报告"))
    def ingest_batch(job: JobContext, *, paths: list[str]) -> dict:
        for i, path in enumerate(paths):
            job.progress(100 * i // len(paths), path)
            ...
        return {"documents": n}

`job_submit` records the Job and queues it (through Celery's broker, or in-process when none is set);
`job_run` executes one, and is what the Celery task and the command line call.
"""

import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .audit import audit_record
from .exceptions import ApplicationError
from .models import Job

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Handler:
    kind: str
    func: Callable
    title: str


_HANDLERS: dict[str, Handler] = {}


def job_handler(kind: str, *, title: str = ""):
    """Register `func(job: JobContext, **params) -> dict` as the handler of jobs of `kind`."""

    def register(func):
        _HANDLERS[kind] = Handler(kind=kind, func=func, title=str(title) or kind)
        return func

    return register


def handler_for(kind: str) -> Handler:
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise ApplicationError(f"Unknown job kind: {kind}", code="unknown_job_kind")


def registered_kinds() -> list[str]:
    return sorted(_HANDLERS)


class JobContext:
    """What a handler sees of its job: its parameters, who started it, and a way to report progress."""

    def __init__(self, job: Job, on_progress: Callable[[int, str], None] | None = None):
        self.job = job
        self.params = job.params
        self.user = job.started_by
        self._on_progress = on_progress
        self._last_write = 0.0
        self._last_pct = -1
        self.last_reported: tuple[int, str] | None = None

    def progress(self, percent: float, message: str = "") -> None:
        """Report progress (0-100). Written at most a few times a second, always when it reaches 100."""
        pct = max(0, min(100, int(percent)))
        self.last_reported = (pct, message[:300])
        if self._on_progress:
            self._on_progress(pct, message)
        now = time.monotonic()
        if pct == self._last_pct and now - self._last_write < 1.0:
            return
        if pct < 100 and now - self._last_write < 0.25:
            return
        self._last_write, self._last_pct = now, pct
        Job.objects.filter(pk=self.job.pk).update(
            progress=pct, message=message[:300], updated_at=timezone.now()
        )
        self.job.progress, self.job.message = pct, message[:300]


def _job_record(*, kind: str, params: dict | None, actor, title: str) -> Job:
    """A new queued Job of a registered kind, with its submission audited."""
    handler = handler_for(kind)
    job = Job.objects.create(
        kind=kind,
        title=str(title) or handler.title,
        params=params or {},
        started_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(actor=actor, action="job.submit", obj=job, after={"kind": kind, "params": job.params})
    return job


def job_submit(*, kind: str, params: dict | None = None, actor=None, title: str = "") -> Job:
    """Record a job and queue it once the surrounding transaction commits."""
    job = _job_record(kind=kind, params=params, actor=actor, title=title)

    def enqueue():
        from .tasks import run_job

        run_job.delay(str(job.pk))

    transaction.on_commit(enqueue)
    return job


def job_run(job_id, *, on_progress: Callable[[int, str], None] | None = None) -> Job:
    """Run one job now, in this process. A handler's exception marks the job failed with the error kept."""
    job = Job.objects.select_related("started_by").get(pk=job_id)
    if job.state == Job.State.SUCCEEDED:
        return job  # a redelivered message after success: nothing to do (tasks are idempotent)
    handler = handler_for(job.kind)
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING,
        started_at=timezone.now(),
        attempts=job.attempts + 1,
        error="",
        progress=0,
        updated_at=timezone.now(),
    )
    job.refresh_from_db()
    ctx = JobContext(job, on_progress)
    try:
        result = handler.func(ctx, **job.params)
    except Exception as exc:  # the job records any failure; the worker stays up
        if isinstance(exc, ApplicationError):
            error = str(exc.message)
        else:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            error = f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc(limit=8)}"
        # Keep the progress last reported (writes are throttled, so the row may lag behind it).
        progress = ctx.last_reported[0] if ctx.last_reported else job.progress
        Job.objects.filter(pk=job.pk).update(
            state=Job.State.FAILED,
            error=error[:20000],
            progress=progress,
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        job.refresh_from_db()
        audit_record(
            actor=job.started_by, action="job.fail", obj=job, after={"state": "failed"}, reason=error[:500]
        )
        return job
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.SUCCEEDED,
        progress=100,
        result=result if result is not None else {},
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    job.refresh_from_db()
    audit_record(actor=job.started_by, action="job.succeed", obj=job, after={"state": "succeeded"})
    return job


def job_run_with_bar(
    *, kind: str, params: dict | None = None, actor=None, title: str = "", stream=None
) -> Job:
    """Record a job and run it here with a progress bar on the terminal (for `kechuang` commands)."""
    from tqdm import tqdm

    job = _job_record(kind=kind, params=params, actor=actor, title=title)
    with tqdm(total=100, desc=job.title, unit="%", file=stream, leave=True) as bar:

        def on_progress(pct, message):
            bar.n = pct
            bar.set_postfix_str(message[:40], refresh=False)
            bar.refresh()

        job = job_run(job.pk, on_progress=on_progress)
        bar.n = job.progress
        bar.refresh()
    return job
