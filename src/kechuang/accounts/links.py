"""The links mailed to set a password, and how long each works.

A reset link (`/accounts/password/reset/`) works for `PASSWORD_RESET_TIMEOUT` seconds (PASSWORD_RESET_HOURS,
2 by default): whoever reads the mailbox can use it, so it is short. An invitation (staff invite a person)
works for `KECHUANG_INVITATION_TIMEOUT` seconds (KECHUANG_INVITATION_HOURS, 72 by default): a new person may
open it days later. Both are Django's signed tokens, single use (they change with the password hash and the
last sign-in); an invitation is signed under its own salt, so it never passes for a reset link, and the one
page that sets the password (`PasswordResetConfirmView`) accepts either.
"""

import datetime

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.functional import lazy
from django.utils.http import base36_to_int
from django.utils.timesince import timeuntil


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "kechuang.accounts.links.InvitationTokenGenerator"

    def check_token(self, user, token):
        # Django's check ends at PASSWORD_RESET_TIMEOUT; the signature is checked as it checks it, the age
        # against the invitation's own lifetime.
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return self._num_seconds(self._now()) - ts <= settings.KECHUANG_INVITATION_TIMEOUT


invitation_tokens = InvitationTokenGenerator()


class SetPasswordTokens:
    """The set-password page's check: a reset link's token or an invitation's."""

    def make_token(self, user):
        return default_token_generator.make_token(user)

    def check_token(self, user, token):
        return default_token_generator.check_token(user, token) or invitation_tokens.check_token(user, token)


set_password_tokens = SetPasswordTokens()


def lifetime(seconds: int) -> str:
    """How long a link works, in the reader's words ("2 小时", "2 hours", "30 分钟")."""
    now = timezone.now()
    return timeuntil(now + datetime.timedelta(seconds=int(seconds)), now, depth=1)


def reset_link_lifetime() -> str:
    return lifetime(settings.PASSWORD_RESET_TIMEOUT)


def invitation_lifetime() -> str:
    return lifetime(settings.KECHUANG_INVITATION_TIMEOUT)


# For a template's context: the words, made when the page or e-mail is written (in its language).
reset_link_lifetime_words = lazy(reset_link_lifetime, str)()


def absolute_link(base_url: str, name: str, *args) -> str:
    """The link to URL `name` (with `args`) on the site at `base_url`, for an e-mail."""
    from django.urls import reverse

    return base_url.rstrip("/") + reverse(name, args=args)
