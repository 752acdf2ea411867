"""Sign-in events go to the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from .audit import audit_record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(actor=user, action="auth.login", obj=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action="auth.logout", obj=user)
