"""The Celery app. With CELERY_BROKER_URL unset, tasks run eagerly in the calling process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kechuang.settings.dev")

app = Celery("kechuang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
