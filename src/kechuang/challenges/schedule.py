"""Periodic tasks of the challenges app, collected by core into Celery beat's schedule (`kechuang beat`)."""

from celery.schedules import crontab

SCHEDULE = {
    # Every morning: flag overdue and at-risk milestones for the commissioners' and staff's dashboards.
    "challenges-flag-milestones": {
        "task": "kechuang.challenges.flag_milestones",
        "schedule": crontab(hour=6, minute=0),
    },
}
