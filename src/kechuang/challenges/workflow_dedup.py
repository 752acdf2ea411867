"""The lifecycle of a duplicate-check pair (查重): found (open) → cleared (not the same work) or confirmed
(the same work submitted twice); staff may reopen a decision with a reason. Pure: no queries."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kechuang.core.roles import Role
from kechuang.core.workflow import StateMachine, Transition


class DuplicateStatus(models.TextChoices):
    OPEN = "open", _("待核查")
    CLEARED = "cleared", _("不构成重复")
    CONFIRMED = "confirmed", _("确认重复")


STAFF = frozenset({Role.STAFF.value})

DUPLICATE = StateMachine(
    "duplicate_pair",
    DuplicateStatus,
    [
        Transition("clear", frozenset({"open"}), "cleared", STAFF, _("不构成重复"), needs_reason=True),
        Transition(
            "confirm",
            frozenset({"open"}),
            "confirmed",
            STAFF,
            pgettext_lazy("按钮", "确认重复"),
            needs_reason=True,
        ),
        Transition(
            "reopen", frozenset({"cleared", "confirmed"}), "open", STAFF, _("重新核查"), needs_reason=True
        ),
    ],
)
