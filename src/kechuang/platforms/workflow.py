"""The two lifecycles of this app as declarative tables: a platform's status and a yearly report's review.

Nothing else assigns `Platform.status` or `YearlyReport.status`; services run these through
`kechuang.core.services.transition_apply`.

Pure: no queries, no models (the states live here and the models take them).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kechuang.core.roles import Role
from kechuang.core.workflow import StateMachine, Transition


class Status(models.TextChoices):
    BUILDING = "building", _("建设中")
    TRIAL = "trial", _("试运行")
    OPERATING = "operating", _("运行中")
    REORGANISED = "reorganised", _("已重组")
    MERGED = "merged", _("已合并")
    RETIRED = "retired", pgettext_lazy("平台", "已撤销")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已接收")


STAFF = frozenset({Role.STAFF.value})
OPERATOR = frozenset({Role.OPERATOR.value})
LIVE = frozenset({Status.BUILDING, Status.TRIAL, Status.OPERATING})

PLATFORM_MACHINE = StateMachine(
    "platform",
    Status,
    [
        Transition("trial", frozenset({Status.BUILDING}), Status.TRIAL, STAFF, _("转入试运行")),
        Transition(
            "operate", frozenset({Status.BUILDING, Status.TRIAL}), Status.OPERATING, STAFF, _("正式运行")
        ),
        Transition("reorganise", LIVE, Status.REORGANISED, STAFF, _("重组"), needs_reason=True),
        Transition("merge", LIVE, Status.MERGED, STAFF, _("并入其他平台"), needs_reason=True),
        Transition("retire", LIVE, Status.RETIRED, STAFF, pgettext_lazy("平台", "撤销"), needs_reason=True),
    ],
)

# Reorganisation kinds and the status their source platforms take.
REORGANISATION_SOURCE_ACTION = {
    "merge": "merge",
    "split": "reorganise",
    "upgrade": "reorganise",
    "retire": "retire",
}

RS = ReportStatus


def _has_numbers(report, ctx) -> str | None:
    if report.staff == 0:
        return str(_("请先填写固定人员数。"))
    return None


REPORT_MACHINE = StateMachine(
    "yearly_report",
    RS,
    [
        Transition(
            "submit", frozenset({RS.DRAFT, RS.RETURNED}), RS.SUBMITTED, OPERATOR, _("提交"), (_has_numbers,)
        ),
        Transition("return", frozenset({RS.SUBMITTED}), RS.RETURNED, STAFF, _("退回修改"), needs_reason=True),
        Transition("accept", frozenset({RS.SUBMITTED}), RS.ACCEPTED, STAFF, _("接收")),
        Transition("reopen", frozenset({RS.ACCEPTED}), RS.RETURNED, STAFF, _("重新打开"), needs_reason=True),
    ],
)
