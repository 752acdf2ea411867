from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kechuang.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self):
        from . import jobs_testing, signals  # noqa: F401

        # Every app's jobs.py registers its handlers, in the web process and the worker alike.
        autodiscover_modules("jobs")
