"""How much mail one address gets because someone who is not signed in asked (docs/security.md §22).

The password reset and the registration mail a person who did not necessarily ask (the owner of the address
typed). Per client address the forms are limited (LOGIN_IP_MAX_ATTEMPTS), but many clients, or one client
over hours, could still fill a mailbox through the site. So such mail is also counted per recipient: at most
KECHUANG_MAIL_TO_ADDRESS_MAX per KECHUANG_MAIL_TO_ADDRESS_WINDOW seconds; past it nothing more is sent in
the window. The count is of the address typed, whether or not an account has it, so a page that says a mail
was held back (the registration's, docs/security.md §22) tells nothing about the address.
"""

import hashlib
import logging

from django.conf import settings

from kechuang.core import ratelimit

from .models import fold_email

log = logging.getLogger("kechuang.accounts.mail")


def may_mail(address: str, *, why: str) -> bool:
    """Count one e-mail to `address` (any letter case) caused by someone not signed in; False once the
    address has had its share this window (the mail is then not sent, and the log says so)."""
    return mail_wait(address, why=why) is None


def mail_wait(address: str, *, why: str) -> int | None:
    """As `may_mail`, counting one e-mail: None when it may go, else the seconds until the address's window
    lets another one (a blank address: the whole window)."""
    window = int(getattr(settings, "KECHUANG_MAIL_TO_ADDRESS_WINDOW", 3600))
    key = fold_email(address)
    if not key:
        return window
    wait = ratelimit.hit(
        "mail-to",
        hashlib.sha256(key.encode()).hexdigest(),  # no address in the cache, and a key of fixed length
        limit=int(getattr(settings, "KECHUANG_MAIL_TO_ADDRESS_MAX", 0)),
        window=window,
    )
    if wait is not None:
        log.info(
            "mail not sent: the address had its share this window", extra={"why": why, "retry_after": wait}
        )
    return wait
