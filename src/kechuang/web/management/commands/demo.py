import secrets
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import translation
from django.utils.translation import gettext as _

from kechuang.accounts.demo import DEMO_PASSWORD
from kechuang.core import counters
from kechuang.core.audit import audit_record
from kechuang.core.commands import LanguageCommand, OperatorStream, site_language
from kechuang.core.roles import SYSTEM
from kechuang.web.loaders import demo_loaders


def refuse_demo_data() -> None:
    """The demo's and gendata's accounts have passwords printed in the README: not on a production site
    (settings.prod), unless KECHUANG_DEMO_DATA=1 says it is a demonstration (docs/security.md §14)."""
    from django.core.management import CommandError

    if not getattr(settings, "KECHUANG_DEMO_DATA", True):
        raise CommandError(
            _(
                "此站点的设置不允许载入演示数据或生成数据（其账号的密码公开在 README 中）。"
                "仅在演示站点上设置 KECHUANG_DEMO_DATA=1。"
            )
        )


class Command(LanguageCommand):
    help = (
        "Migrate, then load the demo province (idempotent) and create the admin, printing its password once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-migrate", action="store_true", help="do not run migrate first")
        parser.add_argument("--admin", default="admin", help="the admin's user name")

    def handle(self, *args, no_migrate=False, admin="admin", **options):
        refuse_demo_data()
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
        # The demo's rows are the site's, in its language, whatever --language says.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            # the loaders' progress lines (core.commands.say) in the operator's language
            out = OperatorStream(self.stdout, translation.get_language() or settings.LANGUAGE_CODE)
            for app, load in demo_loaders():
                started = time.monotonic()
                with transaction.atomic(), site_language():
                    load(stdout=out)
                self.stdout.write(
                    _("演示数据：%(app)s 已载入（%(seconds).1f 秒）")
                    % {"app": app, "seconds": time.monotonic() - started}
                )
        # Some demo rows go in by bulk insert, past the signals that keep the counts (core.counters).
        counters.rebuild()
        if password:
            self.stdout.write(self.style.SUCCESS("=" * 60))
            self.stdout.write(
                self.style.SUCCESS(
                    _("  管理员登录：%(admin)s / %(password)s")
                    % {"admin": f"{admin}@example.org", "password": password}
                )
            )
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "  （只显示这一次。修改：登录后点页面顶部自己的名字，在“个人信息”页点“修改密码”；"
                        "忘记时在登录页点“忘记密码？”，用此电子邮箱找回）"
                    )
                )
            )
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "  演示用户用电子邮箱登录：staff@example.org、commissioner@example.org、"
                        "commissioner2@example.org、expert1@example.org..expert8@example.org、"
                        "applicant@example.org、applicant2@example.org、operator@example.org，密码都是 %(password)s"
                    )
                    % {"password": DEMO_PASSWORD}
                )
            )
            self.stdout.write(self.style.SUCCESS("=" * 60))
        else:
            existing = User.objects.filter(username=admin).values_list("email", flat=True).first() or admin
            self.stdout.write(_("管理员“%(admin)s”已存在；它的密码在创建时已显示过。") % {"admin": existing})
