"""How much mail one address gets because someone who is not signed in asked (docs/security.md §22).

The password reset and the registration mail a person who did not necessarily ask (the owner of the address
typed). Per client address the forms are limited (LOGIN_IP_MAX_ATTEMPTS), but many clients, or one client
over hours, could still fill a mailbox through the site. So such mail is also counted per recipient: at most
KECHUANG_MAIL_TO_ADDRESS_MAX per KECHUANG_MAIL_TO_ADDRESS_WINDOW seconds; past it nothing more is sent in
the window. The pages answer the same either way (they never say whether an address is known).
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
    key = fold_email(address)
    if not key:
        return False
    wait = ratelimit.hit(
        "mail-to",
        hashlib.sha256(key.encode()).hexdigest(),  # no address in the cache, and a key of fixed length
        limit=int(getattr(settings, "KECHUANG_MAIL_TO_ADDRESS_MAX", 0)),
        window=int(getattr(settings, "KECHUANG_MAIL_TO_ADDRESS_WINDOW", 3600)),
    )
    if wait is None:
        return True
    log.info("mail not sent: the address had its share this window", extra={"why": why, "retry_after": wait})
    return False
