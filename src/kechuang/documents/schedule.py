"""Periodic tasks of the documents app, collected by core into Celery beat's schedule (`kechuang beat`)."""

from celery.schedules import crontab

SCHEDULE = {
    # Every night: refresh the open-data bulk download (CERIF-XML) from the public records.
    "documents-opendata-export": {
        "task": "kechuang.documents.opendata_export",
        "schedule": crontab(hour=3, minute=30),
    },
}
