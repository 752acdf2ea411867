"""The `kechuang` command: manage.py with the platform's own verbs.

kechuang demo            migrate, load the demo province, create the admin (prints its password once)
kechuang serve [ADDR]    serve on http://127.0.0.1:8000 (or ADDR)
kechuang worker          run a Celery worker for background jobs (needs CELERY_BROKER_URL)
kechuang <command> ...   any manage.py command (migrate, ingest, assign, index, ...)
"""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kechuang.settings.dev")
    if argv[:1] == ["worker"]:
        from kechuang.celery import app

        app.worker_main(["worker", "--loglevel=INFO", "--concurrency=2", *argv[1:]])
        return 0
    if argv[:1] == ["beat"]:
        import django

        django.setup()  # the apps' schedule.py entries are collected when the apps are ready
        from kechuang.celery import app

        app.Beat(
            loglevel="INFO", schedule=os.environ.get("CELERY_BEAT_SCHEDULE_FILE", "var/celerybeat-schedule")
        ).run()
        return 0
    if argv[:1] == ["serve"]:
        addr = argv[1] if len(argv) > 1 and not argv[1].startswith("-") else "127.0.0.1:8000"
        rest = argv[2:] if len(argv) > 1 and not argv[1].startswith("-") else argv[1:]
        argv = ["runserver", addr, *rest]
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kechuang", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
