from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kechuang.accounts"
    label = "accounts"
    verbose_name = _("单位与用户")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import second_factor

        # Every sign-in (the sign-in page, the admin's, a test's force_login) records what it still owes.
        user_logged_in.connect(
            lambda sender, request, user, **kw: request is not None and second_factor.on_login(request, user),
            dispatch_uid="kechuang.accounts.second_factor",
            weak=False,
        )
