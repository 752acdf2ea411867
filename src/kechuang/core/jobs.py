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

A job runs at most once per submission: `job_run` claims it (queued → running) in one conditional UPDATE,
so a redelivered message never runs it again. A job whose process died (kill -9, OOM, power) is found by
`job_reap_lost` and marked failed "worker lost"; a person re-runs it with `job_rerun` (docs/adr/0007).
"""

import datetime
import logging
import os
import socket
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .audit import audit_record
from .exceptions import ApplicationError, InvalidTransition
from .messages import Message, encode, render, render_in
from .models import Job, unexpected_failure
from .roles import is_system

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Handler:
    kind: str
    func: Callable
    title: object  # a gettext_lazy string (translated when read) or text
    staff_only: bool = False  # its jobs and results are staff's, whoever's step queued one


_HANDLERS: dict[str, Handler] = {}


def job_handler(kind: str, *, title: str = "", staff_only: bool = False):
    """Register `func(job: JobContext, **params) -> dict` as the handler of jobs of `kind`. `staff_only`: a
    job of this kind is read by staff only, even by the person whose step queued it (the duplicate check a
    submission queues: its result is staff's, docs/security.md §52)."""

    def register(func):
        _HANDLERS[kind] = Handler(kind=kind, func=func, title=title or kind, staff_only=staff_only)
        return func

    return register


def staff_only_kinds() -> list[str]:
    return sorted(kind for kind, handler in _HANDLERS.items() if handler.staff_only)


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

    def progress(self, percent: float, message: "str | Message" = "") -> None:
        """Report progress (0-100). Written at most a few times a second, always when it reaches 100.

        `message` names the step: the system's words (a Message or a gettext_lazy string) are kept as msgid
        and parameters and read in each reader's language; a plain str (a file's name, "3/10") as it is."""
        pct = max(0, min(100, int(percent)))
        stored = _stored(message)
        text = render_in(stored, settings.LANGUAGE_CODE)[:300]
        step = stored if isinstance(stored, dict) else {}
        self.last_reported = (pct, text)
        if self._on_progress:  # a terminal's bar: in the language it runs in
            self._on_progress(pct, render(stored) if step else text)
        now = time.monotonic()
        if pct == self._last_pct and now - self._last_write < 1.0:
            return
        if pct < 100 and now - self._last_write < 0.25:
            return
        self._last_write, self._last_pct = now, pct
        now = timezone.now()
        Job.objects.filter(pk=self.job.pk).update(
            progress=pct, message=text, step_message=step, updated_at=now, heartbeat_at=now
        )
        self.job.progress, self.job.message, self.job.step_message = pct, text, step


def _job_record(*, kind: str, params: dict | None, actor, title) -> Job:
    """A new queued Job of a registered kind, with its submission audited. A title that is the system's
    words (a `Message` or a gettext_lazy string; the handler's title by default) is kept as msgid and
    parameters and read in each reader's language; a plain str is kept as it is."""
    handler = handler_for(kind)
    stored = encode(title or handler.title)
    job = Job.objects.create(
        kind=kind,
        title=render_in(stored, settings.LANGUAGE_CODE)[:200],
        title_message=stored if isinstance(stored, dict) else {},
        params=params or {},
        started_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(actor=actor, action="job.submit", obj=job, after={"kind": kind, "params": job.params})
    return job


def job_submit(*, kind: str, params: dict | None = None, actor=None, title: "str | Message" = "") -> Job:
    """Record a job and queue it once the surrounding transaction commits."""
    job = _job_record(kind=kind, params=params, actor=actor, title=title)

    def enqueue():
        from .tasks import run_job

        run_job.delay(str(job.pk))

    transaction.on_commit(enqueue)
    return job


def this_worker() -> str:
    """The name a running job records for its process: "host:pid"."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _claim(job_id) -> bool:
    """Move a queued job to running for this process; False when it is not queued (already claimed)."""
    now = timezone.now()
    return (
        Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
            state=Job.State.RUNNING,
            started_at=now,
            attempts=F("attempts") + 1,
            error="",
            error_message={},
            progress=0,
            worker=this_worker(),
            heartbeat_at=now,
            updated_at=now,
        )
        == 1
    )


def _trail_reason(job: Job) -> str:
    """Why a job failed, as the append-only trail keeps it: the sentence in the site's language, which for an
    error in the code names the job (the reference to find its traceback in the log, `job <id> (<kind>)
    failed`); never the traceback or the exception's text (values, paths, SQL), which stay in the log and in
    `Job.error` (staff only, and cleared by a re-run)."""
    if job.failed_unexpectedly:
        return render_in(unexpected_failure(job), settings.LANGUAGE_CODE)[:500]
    return render_in(job.error_message or None, settings.LANGUAGE_CODE, job.error)[:500]


def job_run(job_id, *, on_progress: Callable[[int, str], None] | None = None) -> Job:
    """Run one queued job now, in this process. A handler's exception marks the job failed with the error kept.

    A job that is not queued is never run again: a redelivered message (after success, after failure, or
    while another process runs it) changes nothing, except that a job whose process is gone is marked lost.
    """
    if not _claim(job_id):
        job = Job.objects.select_related("started_by").get(pk=job_id)
        if job.state == Job.State.RUNNING:
            job_reap_lost(jobs=[job])
            job.refresh_from_db()
        logger.info("job %s is %s: not run again", job.pk, job.state)
        return job
    job = Job.objects.select_related("started_by").get(pk=job_id)
    handler = handler_for(job.kind)
    ctx = JobContext(job, on_progress)
    try:
        result = handler.func(ctx, **job.params)
    except Exception as exc:  # the job records any failure; the worker stays up
        stored: dict | str = ""
        if isinstance(exc, ApplicationError):
            stored = _stored(exc.message)
            error = render_in(stored, settings.LANGUAGE_CODE)
        else:
            # An error in the code: the traceback goes to the log and stays in `error` (shown to staff only);
            # whoever reads the job is told so in their language, with the job's reference (Job.error_text).
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            stored = unexpected_failure(job)
            error = f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc(limit=8)}"
        # Keep the progress last reported (writes are throttled, so the row may lag behind it).
        progress = ctx.last_reported[0] if ctx.last_reported else job.progress
        with transaction.atomic():
            Job.objects.filter(pk=job.pk).update(
                state=Job.State.FAILED,
                error=error[:20000],
                error_message=stored if isinstance(stored, dict) else {},
                progress=progress,
                finished_at=timezone.now(),
                updated_at=timezone.now(),
            )
            job.refresh_from_db()
            audit_record(
                actor=job.started_by,
                action="job.fail",
                obj=job,
                after={"state": "failed"},
                reason=_trail_reason(job),
            )
        return job
    with transaction.atomic():
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


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def _stored(message) -> dict | str:
    """A failure's words as kept on the Job: msgid and parameters when they are the system's (a Message, a
    gettext_lazy string), read in each reader's language; text already made (one language) as it is."""
    if isinstance(message, Message | Promise):
        return encode(message)
    return str(message)


def _lost_reason(job: Job, now: datetime.datetime) -> Message | None:
    """Why a running job's process is known to be gone, or None when it may still be working."""
    host, _sep, pid = job.worker.rpartition(":")
    if host == socket.gethostname() and pid.isdecimal():
        # On this host the answer is exact: the process exists or it does not.
        if _pid_alive(int(pid)):
            return None
        return Message(gettext_noop("执行进程 %(worker)s 已不存在（worker lost）"), worker=job.worker)
    limit = datetime.timedelta(seconds=settings.JOB_LOST_AFTER)
    beat = job.heartbeat_at or job.started_at or job.updated_at
    if beat is not None and now - beat > limit:
        return Message(
            gettext_noop("执行进程 %(worker)s 超过 %(minutes)d 分钟没有心跳（worker lost）"),
            worker=job.worker or "?",
            minutes=settings.JOB_LOST_AFTER // 60,
        )
    return None


def job_reap_lost(*, jobs=None) -> list[Job]:
    """Mark failed every running job whose process is gone; returns them. Each is audited as `job.lost`.

    Gone means: its recorded process is on this host and no longer exists (exact, at once), or it has shown
    no heartbeat for JOB_LOST_AFTER seconds (for a process on another host). The data a lost job was writing
    is whatever its transactions committed: handlers write in one transaction, so nothing.
    """
    now = timezone.now()
    candidates = jobs if jobs is not None else Job.objects.filter(state=Job.State.RUNNING)
    lost = []
    for job in candidates:
        lost_because = _lost_reason(job, now)
        if lost_because is None:
            continue
        stored = encode(lost_because)
        reason = render_in(stored, settings.LANGUAGE_CODE)
        with transaction.atomic():  # the state and its audit event together
            # Conditional on what was read: a job that moved on meanwhile (finished, re-claimed) is left alone.
            marked = Job.objects.filter(
                Q(heartbeat_at=job.heartbeat_at) if job.heartbeat_at else Q(heartbeat_at__isnull=True),
                pk=job.pk,
                state=Job.State.RUNNING,
                worker=job.worker,
            ).update(
                state=Job.State.FAILED, error=reason, error_message=stored, finished_at=now, updated_at=now
            )
            if not marked:
                continue
            job.refresh_from_db()
            audit_record(actor=None, action="job.lost", obj=job, after={"state": "failed"}, reason=reason)
        logger.warning("job %s (%s) marked failed: %s", job.pk, job.kind, reason)
        lost.append(job)
    return lost


def can_rerun(user, job: Job) -> bool:
    """Who started a job, or staff, may run a failed one again."""
    from kechuang.core.roles import Role, has_role

    if job.state != Job.State.FAILED:
        return False
    if not getattr(user, "is_authenticated", False):
        return False
    return job.started_by_id == user.pk or has_role(user, Role.STAFF)


@transaction.atomic
def job_rerun(*, actor, job: Job) -> Job:
    """Queue a failed job again (same parameters, audited `job.rerun`); it then runs like a new submission.

    Only failed jobs: a succeeded one is never run twice, a queued or running one is already on its way.
    An actor that is a SystemActor (or None) is the command line, `kechuang jobs rerun`, for those with the shell.
    """
    locked = Job.objects.select_for_update().get(pk=job.pk)
    if locked.state != Job.State.FAILED:
        raise InvalidTransition(
            _("只有失败的任务可以重新运行（此任务：%(state)s）。") % {"state": locked.get_state_display()}
        )
    if not (actor is None or is_system(actor)) and not can_rerun(actor, locked):
        from .exceptions import PermissionDenied

        raise PermissionDenied(_("只有任务发起人或工作人员可以重新运行此任务。"))
    previous = _trail_reason(locked)
    Job.objects.filter(pk=locked.pk).update(
        state=Job.State.QUEUED,
        progress=0,
        message="",
        step_message={},
        error="",
        error_message={},
        result=None,
        finished_at=None,
        worker="",
        heartbeat_at=None,
        updated_at=timezone.now(),
    )
    locked.refresh_from_db()
    audit_record(
        actor=actor,
        action="job.rerun",
        obj=locked,
        before={"state": "failed", "attempts": locked.attempts},
        after={"state": "queued"},
        reason=previous[:500],
    )

    def enqueue():
        from .tasks import run_job

        run_job.delay(str(locked.pk))

    transaction.on_commit(enqueue)
    return locked


def job_run_with_bar(
    *, kind: str, params: dict | None = None, actor=None, title: "str | Message" = "", stream=None
) -> Job:
    """Record a job and run it here with a progress bar on the terminal (for `kechuang` commands)."""
    from tqdm import tqdm

    job = _job_record(kind=kind, params=params, actor=actor, title=title)
    with tqdm(total=100, desc=job.title_text, unit="%", file=stream, leave=True) as bar:

        def on_progress(pct, message):
            bar.n = pct
            bar.set_postfix_str(message[:40], refresh=False)
            bar.refresh()

        job = job_run(job.pk, on_progress=on_progress)
        bar.n = job.progress
        bar.refresh()
    return job
