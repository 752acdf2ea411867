"""The unit's side of the money: spending reports by period and line, budget adjustments, final accounts."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.challenges.models import Contract
from kechuang.core.audit import audit_record
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.roles import Role, actor_roles, has_role
from kechuang.core.services import optimistic_save, transition_apply

from .. import money, permissions, selectors
from ..models import BudgetAdjustment, BudgetLine, FinalAccount, SpendingLine, SpendingReport
from ..workflow import ADJUSTMENT, FINAL_ACCOUNT
from ._common import NOT_ALLOWED, amount


@transaction.atomic
def spending_report_set(
    *, actor, contract: Contract, year: int, quarter: int, lines: dict, note: str = ""
) -> SpendingReport:
    """The unit reports (or corrects) one quarter's spending by budget line (元). Audited with before/after."""
    if not permissions.can_report_spending(actor, contract):
        raise PermissionDenied(NOT_ALLOWED)
    clean = {}
    for line, value in lines.items():
        if line not in money.LINES:
            raise ApplicationError(_("未知的预算科目。"), code="invalid_line")
        v = amount(value or 0, line)
        if v < 0:
            raise ApplicationError(
                _("支出金额不能为负数。"), code="negative", fields={line: [_("支出金额不能为负数。")]}
            )
        clean[line] = v
    if contract.start_date and year < contract.start_date.year:
        raise ApplicationError(
            _("报告期早于项目开始年度。"), code="period", fields={"year": [_("报告期早于项目开始年度。")]}
        )
    report, created = SpendingReport.objects.get_or_create(
        contract=contract, year=year, quarter=quarter, defaults={"note": note, "submitted_by": actor}
    )
    before = {} if created else {b.line: b.amount for b in report.lines.all()}
    report.note = note
    report.full_clean()
    report.save(update_fields=["note", "updated_at"])
    report.lines.all().delete()
    SpendingLine.objects.bulk_create(
        [SpendingLine(report=report, line=k, amount=v) for k, v in clean.items() if v]
    )
    audit_record(
        actor=actor,
        action="funds.spending_report",
        obj=contract,
        before={"period": str(report), "lines": before} if before else None,
        after={"period": str(report), "lines": {k: v for k, v in clean.items() if v}},
    )
    return report


@transaction.atomic
def adjustment_request(
    *, actor, contract: Contract, source: str, target: str, amount_yuan, reason: str
) -> BudgetAdjustment:
    """The unit asks to move fiscal money between budget lines. Refused with every reason that breaks the
    rules (indirect costs never raised, never beyond the source line, the cap kept). Marks whether staff
    must decide (over the commissioner's limits)."""
    if not permissions.can_request_adjustment(actor, contract):
        raise PermissionDenied(NOT_ALLOWED)
    if not reason.strip():
        raise ApplicationError(
            _("请填写调整理由。"), code="reason", fields={"reason": [_("请填写调整理由。")]}
        )
    value = amount(amount_yuan, "amount")
    rules = selectors.rules_for(contract.challenge)
    lines = selectors.fiscal_by_line(contract=contract)
    problems = money.adjustment_problems_by_field(
        lines=lines, source=source, target=target, amount=value, rules=rules
    )
    if problems:
        # each reason by the field it concerns: the form says it there
        raise ApplicationError(
            " ".join(why for _where, why in problems),
            code="adjustment_rules",
            fields=money.by_field(problems),
        )
    adj = BudgetAdjustment(
        contract=contract,
        source=source,
        target=target,
        amount=value,
        reason=reason,
        large=money.adjustment_is_large(amount=value, source_line=lines.get(source, money.ZERO), rules=rules),
        requested_by=actor,
    )
    adj.full_clean()
    adj.save()
    audit_record(
        actor=actor,
        action="funds.adjustment_request",
        obj=adj,
        after={"source": source, "target": target, "amount": value, "large": adj.large},
        reason=reason,
    )
    return adj


@transaction.atomic
def adjustment_decide(
    *, actor, adjustment: BudgetAdjustment, approve: bool, note: str = ""
) -> BudgetAdjustment:
    """Staff, or the project's commissioner within the small-adjustment limits, approve or reject. An
    approval moves the money between the contract's lines (checked again against the current budget)."""
    contract = adjustment.contract
    if not permissions.can_decide_adjustment(actor, contract):
        raise PermissionDenied(NOT_ALLOWED)
    rules = selectors.rules_for(contract.challenge)
    lines = selectors.fiscal_by_line(contract=contract)
    ctx = {
        "large": adjustment.large,
        "decider_is_staff": has_role(actor, Role.STAFF),
        "problems": money.adjustment_problems(
            lines=lines,
            source=adjustment.source,
            target=adjustment.target,
            amount=adjustment.amount,
            rules=rules,
        )
        if approve
        else [],
    }
    transition_apply(
        obj=adjustment,
        machine=ADJUSTMENT,
        action="approve" if approve else "reject",
        actor=actor,
        roles=actor_roles(actor),
        reason=note,
        ctx=ctx,
        extra_updates={"decided_by": actor, "decided_at": timezone.now(), "decision_note": note},
    )
    if approve:
        src = BudgetLine.objects.select_for_update().get(contract=contract, line=adjustment.source)
        dst, _created = BudgetLine.objects.select_for_update().get_or_create(
            contract=contract, line=adjustment.target, defaults={"fiscal": money.ZERO}
        )
        src.fiscal -= adjustment.amount
        dst.fiscal += adjustment.amount
        src.save(update_fields=["fiscal", "updated_at"])
        dst.save(update_fields=["fiscal", "updated_at"])
        audit_record(
            actor=actor,
            action="funds.budget_adjust",
            obj=contract,
            before={
                adjustment.source: src.fiscal + adjustment.amount,
                adjustment.target: dst.fiscal - adjustment.amount,
            },
            after={adjustment.source: src.fiscal, adjustment.target: dst.fiscal},
        )
    return adjustment


@transaction.atomic
def final_account_draft(*, actor, contract: Contract, handling: str, note: str = "") -> FinalAccount:
    """The unit draws up (or redraws) the final accounts from the ledger: received (paid tranches and
    co-funding), spent (every spending report) and the balance, with how the balance is handled. A positive
    balance needs a handling (return or keep); none leaves none."""
    if not permissions.can_edit_final_account(actor, contract):
        raise PermissionDenied(NOT_ALLOWED)
    if handling not in FinalAccount.Handling.values:
        raise ApplicationError(
            _("请选择结余处理方式。"), code="handling", fields={"handling": [_("请选择结余处理方式。")]}
        )
    received = selectors.received_of(contract)
    spent = money.total(selectors.spending_by_line(contract).values())
    bal = money.balance(received=[received], spent=[spent])
    if bal > 0 and handling == FinalAccount.Handling.NONE:
        raise ApplicationError(
            _("有结余 %(b)s 万元，请选择收回或留用。") % {"b": money.yuan_to_wan(bal)},
            code="handling",
            fields={"handling": [_("有结余时须选择收回或留用。")]},
        )
    fa = FinalAccount.objects.filter(contract=contract).first()
    if fa is not None and fa.status not in (FinalAccount.Status.DRAFT, FinalAccount.Status.RETURNED):
        raise ApplicationError(_("决算已提交，不能再修改。"), code="locked")
    values = {"received": received, "spent": spent, "balance": bal, "handling": handling, "note": note}
    if fa is None:
        fa = FinalAccount(contract=contract, **values)
        fa.full_clean()
        fa.save()
    else:
        for k, v in values.items():
            setattr(fa, k, v)
        fa.full_clean()
        optimistic_save(obj=fa, expected_version=fa.version, update_fields=list(values))
    audit_record(actor=actor, action="funds.final_account", obj=fa, after=values)
    return fa


@transaction.atomic
def final_account_transition(*, actor, account: FinalAccount, action: str, reason: str = "") -> FinalAccount:
    """Submit (the unit, once the project is under acceptance), confirm or return (staff, with a reason)."""
    if action == "submit" and not permissions.can_edit_final_account(actor, account.contract):
        raise PermissionDenied(NOT_ALLOWED)
    if action in ("confirm", "return") and not permissions.can_confirm_final_account(actor):
        raise PermissionDenied(NOT_ALLOWED)
    transition_apply(
        obj=account,
        machine=FINAL_ACCOUNT,
        action=action,
        actor=actor,
        roles=actor_roles(actor),
        reason=reason,
        ctx={"contract_status": account.contract.status},
    )
    return account
