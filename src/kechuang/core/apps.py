from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kechuang.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self):
        # DRF's settings import core.api, which imports rest_framework.views, whose APIView reads those
        # settings: imported here first, a system check that reads them before any URLconf (DRF's pagination
        # check, run in the registry's set order) finds core.api whole instead of a circular import.
        import rest_framework.views  # noqa: F401

        # checks: the deploy check of KECHUANG_SITE_URL (docs/security.md §16).
        from . import checks, jobs_testing, signals  # noqa: F401

        # Every app's jobs.py registers its handlers, in the web process and the worker alike.
        autodiscover_modules("jobs")
        # Every app's counted.py declares the counts its writes keep (core.counters).
        autodiscover_modules("counted")
        from django.db.models.signals import post_migrate

        post_migrate.connect(_establish_counts, sender=self, dispatch_uid="kc-counters-establish")
        # the data migrations' notes into the audit trail, once the schema is whole (core.migrating)
        post_migrate.connect(_record_data_migrations, sender=self, dispatch_uid="kc-data-migrations-audited")
        from .display import register_payload
        from .migrating import ACTION, reword

        register_payload(ACTION, reword)
        _collect_schedules()
        # The admin (listed first in INSTALLED_APPS) has collected every ModelAdmin by now: audit them all.
        from .admin_audit import audit_admin_site

        audit_admin_site()
        # Every date and year a person types is checked for plausibility (issue #14.10).
        from .validators import install_plausibility_validators

        install_plausibility_validators()


def _establish_counts(sender, using="default", **kwargs):
    from .counters import establish

    if using == "default":
        establish()


def _record_data_migrations(sender, using="default", plan=None, **kwargs):
    """At the end of a `migrate` run (which sends its plan), the data migrations' notes as audit events. A
    `flush` sends post_migrate too, without a plan: it applied no migration, and an event written after it
    would stay in the emptied database (a test's flush left one for the next tests to find)."""
    from .migrating import record_pending

    if plan is not None:
        record_pending(using)


def _collect_schedules():
    """Periodic tasks: each app may define SCHEDULE = {name: {"task": ..., "schedule": ...}} in schedule.py."""
    import importlib

    from celery import current_app as app  # the project's app (kechuang/celery.py); core names no entry point
    from django.conf import settings

    schedule = dict(getattr(settings, "CELERY_BEAT_SCHEDULE", {}) or {})
    for label in [a for a in settings.INSTALLED_APPS if a.startswith("kechuang.")]:
        try:
            module = importlib.import_module(f"{label}.schedule")
        except ModuleNotFoundError as exc:
            if exc.name != f"{label}.schedule":
                raise
            continue
        schedule.update(getattr(module, "SCHEDULE", {}))
    app.conf.beat_schedule = schedule
