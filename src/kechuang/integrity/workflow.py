"""The lifecycle of an integrity record (科研诚信处理记录): in force → appealed → upheld (back in force) or
revoked; a record may also be revoked outright when the body that decided it withdraws the decision.

Pure: no queries. The guards read the record's own fields and the reason given (`ctx["reason"]`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kechuang.core.roles import Role
from kechuang.core.workflow import StateMachine, Transition


class RecordStatus(models.TextChoices):
    IN_FORCE = "in_force", _("生效")
    APPEALED = "appealed", _("申诉中")
    REVOKED = "revoked", pgettext_lazy("诚信记录", "已撤销")


class AppealOutcome(models.TextChoices):
    NONE = "", _("未申诉")
    PENDING = "pending", _("待处理")
    DISMISSED = "dismissed", _("申诉驳回，维持原决定")
    GRANTED = "granted", _("申诉成立，撤销处理")


# A restriction binds while the record is in force or under appeal (an appeal does not suspend it).
BINDING = frozenset({RecordStatus.IN_FORCE.value, RecordStatus.APPEALED.value})

STAFF = frozenset({Role.STAFF.value})


def _not_appealed_before(record, ctx):
    if record.appeal_outcome:
        return _("该记录已经申诉过一次，不能再次申诉。")
    return None


RECORD = StateMachine(
    "integrity_record",
    RecordStatus,
    [
        Transition(
            "appeal",
            frozenset({"in_force"}),
            "appealed",
            STAFF,
            _("登记申诉"),
            (_not_appealed_before,),
            needs_reason=True,
        ),
        Transition("dismiss", frozenset({"appealed"}), "in_force", STAFF, _("驳回申诉"), needs_reason=True),
        Transition("grant", frozenset({"appealed"}), "revoked", STAFF, _("申诉成立"), needs_reason=True),
        Transition("revoke", frozenset({"in_force"}), "revoked", STAFF, _("撤销处理"), needs_reason=True),
    ],
)
