from celery import shared_task
from celery.signals import worker_ready

from .jobs import job_reap_lost, job_run


@shared_task(name="kechuang.run_job", acks_late=True, reject_on_worker_lost=True)
def run_job(job_id: str) -> str:
    """Run a recorded Job. Safe to deliver twice: only a queued job is run (docs/adr/0007)."""
    return job_run(job_id).state


@shared_task(name="kechuang.reap_lost_jobs")
def reap_lost_jobs() -> int:
    """Mark failed the running jobs whose process is gone (scheduled by `kechuang beat`)."""
    return len(job_reap_lost())


@worker_ready.connect
def _reap_at_worker_start(**kwargs):
    # A worker restarted after a crash finds the jobs its predecessor left running, before taking new ones.
    from django.db import connection

    job_reap_lost()
    connection.close()  # pool processes forked later must not share this process's connection


@shared_task(name="kechuang.audit_chain_check")
def audit_chain_check() -> bool:
    """Verify the audit trail's hash chain and alert staff when it is broken (daily, by `kechuang beat`)."""
    from .auditchain import chain_check_and_alert

    return chain_check_and_alert().ok


@shared_task(
    name="kechuang.send_email",
    bind=True,
    acks_late=True,
    max_retries=None,  # counted on the message (KECHUANG_EMAIL_RETRIES), not by Celery
)
def send_email(self, email_id: int) -> str:
    """Send one queued e-mail (core.notifications); retry a failure, then record it as failed for staff."""
    from django.conf import settings

    from .models import OutboundEmail
    from .notifications import email_deliver, email_give_up

    mail = email_deliver(email_id)
    if mail is None or mail.status == OutboundEmail.Status.SENT:
        return "sent" if mail else "missing"
    if mail.attempts > settings.KECHUANG_EMAIL_RETRIES:
        email_give_up(email_id)
        return "failed"
    countdown = 0 if self.request.is_eager else settings.KECHUANG_EMAIL_RETRY_SECONDS * mail.attempts
    raise self.retry(countdown=countdown)
