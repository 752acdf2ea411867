from celery import shared_task

from .jobs import job_run


@shared_task(name="kechuang.run_job", acks_late=True, reject_on_worker_lost=True)
def run_job(job_id: str) -> str:
    """Run a recorded Job. Safe to deliver twice: a succeeded job is not run again."""
    return job_run(job_id).state
