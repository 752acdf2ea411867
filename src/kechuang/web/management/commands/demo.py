import secrets
import time

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from kechuang.accounts.demo import DEMO_PASSWORD_NOTE
from kechuang.core import counters
from kechuang.core.audit import audit_record
from kechuang.core.roles import SYSTEM
from kechuang.web.loaders import demo_loaders


class Command(BaseCommand):
    help = (
        "Migrate, then load the demo province (idempotent) and create the admin, printing its password once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-migrate", action="store_true", help="do not run migrate first")
        parser.add_argument("--admin", default="admin", help="the admin's user name")

    def handle(self, *args, no_migrate=False, admin="admin", **options):
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        User = get_user_model()
        password = None
        with transaction.atomic():
            if not User.objects.filter(username=admin).exists():
                password = secrets.token_urlsafe(12)
                user = User.objects.create_superuser(
                    admin, f"{admin}@example.org", password, full_name="系统管理员"
                )
                audit_record(actor=SYSTEM, action="user.create_admin", obj=user, after={"username": admin})
        # The demo's own notifications stay in memory: the console backend would flood the terminal.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            for app, load in demo_loaders():
                started = time.monotonic()
                with transaction.atomic():
                    load(stdout=self.stdout)
                self.stdout.write(f"demo: {app} loaded ({time.monotonic() - started:.1f} s)")
        # Some demo rows go in by bulk insert, past the signals that keep the counts (core.counters).
        counters.rebuild()
        if password:
            self.stdout.write(self.style.SUCCESS("=" * 60))
            self.stdout.write(self.style.SUCCESS(f"  Admin login:  {admin} / {password}"))
            self.stdout.write(self.style.SUCCESS("  (shown once; reset with: kechuang changepassword admin)"))
            self.stdout.write(self.style.SUCCESS(f"  {DEMO_PASSWORD_NOTE}"))
            self.stdout.write(self.style.SUCCESS("=" * 60))
        else:
            self.stdout.write(
                f"Admin '{admin}' exists already; its password was printed when it was created."
            )
