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
        # The pages follow the person's language from their sign-in on (core.middleware sets the cookie).
        user_logged_in.connect(
            _language_on_sign_in, dispatch_uid="kechuang.accounts.language_on_sign_in", weak=False
        )


def _language_on_sign_in(sender, request, user, **kwargs):
    if request is not None and getattr(user, "language", ""):
        request.language_on_sign_in = user.language
