"""A platform's operators and their yearly reports, through the report machine."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kechuang.accounts.models import User
from kechuang.core.audit import audit_record, diff, snapshot
from kechuang.core.exceptions import ApplicationError, Conflict, PermissionDenied
from kechuang.core.messages import Message
from kechuang.core.notifications import notify
from kechuang.core.roles import Role, has_role, is_system, require_role, roles_of
from kechuang.core.services import optimistic_save, transition_apply

from .. import permissions
from ..models import REPORT_NUMBERS, Operator, Platform, YearlyReport
from ..workflow import REPORT_MACHINE
from ._common import NOT_STAFF, refuse_unless_live


@transaction.atomic
def operator_assign(*, actor, platform: Platform, user) -> Operator:
    """Link an operator user to a platform (they then file its yearly reports)."""
    require_role(actor, Role.STAFF, message=_(NOT_STAFF))
    refuse_unless_live(platform)
    if not has_role(user, Role.OPERATOR):
        raise ApplicationError(_("该用户没有平台运营人员角色。"), code="invalid")
    link, created = Operator.objects.get_or_create(platform=platform, user=user)
    if created:
        audit_record(actor=actor, action="platform.operator_assign", obj=platform, after={"user": user.pk})
    return link


@transaction.atomic
def operator_remove(*, actor, platform: Platform, user, reason: str = "") -> None:
    """Unlink an operator from a platform."""
    require_role(actor, Role.STAFF, message=_(NOT_STAFF))
    if Operator.objects.filter(platform=platform, user=user).delete()[0]:
        audit_record(
            actor=actor,
            action="platform.operator_remove",
            obj=platform,
            before={"user": user.pk},
            reason=reason,
        )


def _report_values(values: dict) -> dict:
    out = {}
    for name in (*REPORT_NUMBERS, "summary"):
        if name in values and values[name] is not None:
            out[name] = values[name]
    return out


@transaction.atomic
def report_create(*, actor, platform: Platform, year: int, **values) -> YearlyReport:
    """The operator starts the year's report (a draft). One report per platform and year."""
    if not is_system(actor) and not permissions.can_file_report(actor, platform):
        raise PermissionDenied(_("只有该平台的运营人员可以填报年度报告。"))
    if YearlyReport.objects.filter(platform=platform, year=year).exists():
        raise Conflict(_("该平台 %(year)s 年度报告已存在。") % {"year": year}, code="duplicate")
    report = YearlyReport(platform=platform, year=year, **_report_values(values))
    report.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
    report.full_clean()
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise Conflict(_("该平台 %(year)s 年度报告已存在。") % {"year": year}, code="duplicate")
    audit_record(
        actor=actor,
        action="yearly_report.create",
        obj=report,
        after=snapshot(report, ["platform_id", "year", *REPORT_NUMBERS]),
    )
    return report


@transaction.atomic
def report_update(*, actor, report: YearlyReport, expected_version: int, **values) -> YearlyReport:
    """The operator edits a draft or returned report (optimistic locking: a stale form is refused)."""
    report = YearlyReport.objects.select_related("platform").get(pk=report.pk)
    if not is_system(actor) and not permissions.can_edit_report(actor, report):
        raise PermissionDenied(_("您不能修改此年度报告（仅运营人员可修改草稿或被退回的报告）。"))
    fields = [*REPORT_NUMBERS, "summary"]
    before = snapshot(report, fields)
    for k, v in _report_values(values).items():
        setattr(report, k, v)
    try:
        report.full_clean(exclude=["platform", "year"])
    except ValidationError:
        raise
    optimistic_save(obj=report, expected_version=expected_version, update_fields=fields)
    b, a = diff(before, snapshot(report, fields))
    if a:
        audit_record(actor=actor, action="yearly_report.update", obj=report, before=b, after=a)
    return report


@transaction.atomic
def report_transition(*, actor, report: YearlyReport, action: str, reason: str = "") -> YearlyReport:
    """submit (operator of the platform), return with a reason / accept / reopen (staff). Notifies the
    other side."""

    report = YearlyReport.objects.select_related("platform").get(pk=report.pk)
    if action == "submit" and not is_system(actor) and not permissions.operates(actor, report.platform):
        raise PermissionDenied(_("只有该平台的运营人员可以提交年度报告。"))
    extra = {"return_reason": reason} if action in ("return", "reopen") else {}
    if action == "submit":
        extra["submitted_by"] = actor if getattr(actor, "is_authenticated", False) else None
    transition_apply(
        obj=report,
        machine=REPORT_MACHINE,
        action=action,
        actor=actor,
        roles=roles_of(actor),
        reason=reason,
        extra_updates=extra,
    )
    url = report.get_absolute_url()
    if action == "submit":
        staff = User.objects.filter(groups__name=Role.STAFF, is_active=True)
        notify(
            recipients=staff,
            title=Message(
                gettext_noop("年度报告待审核：%(p)s %(y)s"), p=report.platform.both_names, y=report.year
            ),
            url=url,
            kind="platforms.report",
        )
    elif action in ("return", "reopen"):
        operators = [o.user for o in report.platform.operators.select_related("user")]
        notify(
            recipients=operators,
            title=Message(
                gettext_noop("年度报告被退回：%(p)s %(y)s"), p=report.platform.both_names, y=report.year
            ),
            body=reason,
            url=url,
            kind="platforms.report",
        )
    return report
