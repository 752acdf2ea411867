"""Department staff's task for the shared shell: notification e-mails that could not be sent."""

from django.urls import reverse
from django.utils.translation import gettext as _

from . import counters
from .roles import Role, has_role
from .ui import Task


def tasks_for(user) -> list:
    if not has_role(user, Role.STAFF):
        return []
    failed = counters.read("core.emails_failed", memo=user)["core.emails_failed"]
    if not failed:
        return []
    return [
        Task(
            title=_("%(n)d 封通知邮件发送失败，请查看原因") % {"n": failed},
            url=reverse("web:email-list") + "?status=failed",
            kind="email",
            overdue=True,
            count=failed,
        )
    ]
