"""Budgets: a call's rules, an application's budget by line, and the project's ledger opened at signing."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.challenges.models import Application, Challenge, Contract
from kechuang.challenges.workflow import MilestoneStatus
from kechuang.core.audit import audit_record, diff, snapshot
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.roles import Role, require_role
from kechuang.core.services import optimistic_save, stale_conflict

from .. import money, permissions, selectors
from ..models import BudgetLine, FinalAccount, FundingRules, Payment
from ._common import NO_BUDGET_EDIT, amount
from .payments import payment_due

RULE_FIELDS = ("indirect_max_pct", "adjust_small_pct", "adjust_small_amount")


@transaction.atomic
def rules_set(
    *,
    actor,
    challenge: Challenge,
    indirect_max_pct: Decimal,
    adjust_small_pct: Decimal,
    adjust_small_amount: Decimal,
    expected_version: int | None = None,
) -> FundingRules:
    """Staff set a call's budget rules (indirect-cost cap, the commissioner's adjustment limits). Audited."""
    require_role(actor, Role.STAFF)
    row, created = FundingRules.objects.get_or_create(challenge=challenge)
    if not created and expected_version is None:
        # An edit that names no version could overwrite a save it never saw.
        raise stale_conflict(obj=row, update_fields=list(RULE_FIELDS))
    before = snapshot(row, RULE_FIELDS)
    row.indirect_max_pct = indirect_max_pct
    row.adjust_small_pct = adjust_small_pct
    row.adjust_small_amount = amount(adjust_small_amount, "adjust_small_amount")
    row.full_clean()
    optimistic_save(
        obj=row,
        expected_version=row.version if created else expected_version,
        update_fields=list(RULE_FIELDS),
    )
    b, a = diff(before, snapshot(row, RULE_FIELDS))
    audit_record(actor=actor, action="funds.rules_set", obj=challenge, before=b, after=a)
    return row


def _clean_lines(lines: list[dict]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for i, row in enumerate(lines):
        line = row.get("line")
        if line not in money.LINES:
            raise ApplicationError(_("第 %(n)s 行：请选择预算科目。") % {"n": i + 1}, code="invalid_line")
        if line in out:
            raise ApplicationError(
                _("预算科目“%(line)s”重复填写。")
                % {"line": dict(BudgetLine._meta.get_field("line").choices)[line]},
                code="duplicate_line",
            )
        fiscal = amount(row.get("fiscal") or 0, "fiscal")
        self_raised = amount(row.get("self_raised") or 0, "self_raised")
        if fiscal < 0 or self_raised < 0:
            raise ApplicationError(_("预算金额不能为负数。"), code="negative")
        out[line] = {"fiscal": fiscal, "self_raised": self_raised, "note": (row.get("note") or "")[:300]}
    return out


def _refuse_budget(problems: list[tuple[str, str]]) -> None:
    """Refuse a budget that breaks the rules: every reason, each by what it concerns (`fields`: a line's code,
    money.TOTAL for the sum), so a form says it beside that line's amount or the total."""
    if problems:
        raise ApplicationError(
            " ".join(money.reasons(problems)), code="budget_rules", fields=money.by_field(problems)
        )


def _shown(lines: dict[str, dict]) -> dict:
    return {k: {"fiscal": v["fiscal"], "self_raised": v["self_raised"]} for k, v in lines.items()}


@transaction.atomic
def application_budget_set(*, actor, application: Application, lines: list[dict]) -> list[BudgetLine]:
    """Replace an application's budget by line ({line, fiscal, self_raised, note}, 元). Refused unless the
    fiscal lines keep the call's caps and add up to the requested budget. Audited with before and after."""
    if not permissions.can_edit_budget(actor, application):
        raise PermissionDenied(NO_BUDGET_EDIT)
    clean = _clean_lines(lines)
    expected = money.wan_to_yuan(application.budget_requested) if application.budget_requested else None
    _refuse_budget(
        money.budget_problems_by_field(
            {k: v["fiscal"] for k, v in clean.items()},
            selectors.rules_for(application.challenge),
            expected_total=expected,
        )
    )
    before = {
        k: {"fiscal": b.fiscal, "self_raised": b.self_raised}
        for k, b in selectors.lines_of(application=application).items()
    }
    BudgetLine.objects.filter(application=application).delete()
    rows = []
    for line, v in clean.items():
        b = BudgetLine(application=application, line=line, **v)
        b.full_clean()
        rows.append(b)
    BudgetLine.objects.bulk_create(rows)
    audit_record(actor=actor, action="funds.budget_set", obj=application, before=before, after=_shown(clean))
    return rows


@transaction.atomic
def ledger_open(*, actor, contract: Contract) -> list[Payment]:
    """Carry the application's budget into the contract and plan one payment per milestone tranche.

    Idempotent: lines and payments already there are kept. A tranche whose milestone is already verified is
    made payable at once. Staff (the signing opens it through the challenges hook)."""
    require_role(actor, Role.STAFF)
    return _ledger_open(actor=actor, contract=contract)


def _ledger_open(*, actor, contract: Contract) -> list[Payment]:
    created_lines = []
    if not BudgetLine.objects.filter(contract=contract).exists():
        for b in BudgetLine.objects.filter(application_id=contract.application_id):
            created_lines.append(
                BudgetLine(
                    contract=contract, line=b.line, fiscal=b.fiscal, self_raised=b.self_raised, note=b.note
                )
            )
        BudgetLine.objects.bulk_create(created_lines)
    have = set(Payment.objects.filter(contract=contract).values_list("milestone_id", flat=True))
    new = [
        Payment(contract=contract, milestone=m, amount=money.wan_to_yuan(m.tranche))
        for m in contract.milestones.order_by("seq")
        if m.pk not in have and m.tranche > 0
    ]
    Payment.objects.bulk_create(new)
    if created_lines or new:
        audit_record(
            actor=actor,
            action="funds.ledger_open",
            obj=contract,
            after={
                "budget_lines": {b.line: b.fiscal for b in created_lines},
                "tranches": [p.amount for p in new],
            },
        )
    payments = list(Payment.objects.filter(contract=contract).select_related("milestone"))
    for p in payments:
        if p.status == Payment.Status.PLANNED and p.milestone.status == MilestoneStatus.VERIFIED:
            payment_due(actor=actor, milestone=p.milestone)
    return payments


def on_contract_signed(*, contract: Contract, actor) -> None:
    """The challenges hook: a signed contract gets its ledger. The signing checked who may sign."""
    _ledger_open(actor=actor, contract=contract)


def application_problems(*, application: Application) -> list[str]:
    """The challenges hook at submission: an application's budget lines must keep the call's rules."""
    return selectors.application_budget_problems(application)


@transaction.atomic
def contract_budget_set(*, actor, contract: Contract, lines: list[dict]) -> list[BudgetLine]:
    """Staff record the contract's agreed budget by line (元) when it differs from the application's or the
    application had none. Same rules: the call's caps, and the fiscal lines add up to the contract's fiscal
    budget. Audited with before and after."""
    require_role(actor, Role.STAFF)
    if contract.status not in ("draft", "in_progress", "acceptance", "finished"):
        raise ApplicationError(_("项目已终止，不能修改预算。"), code="closed")
    if FinalAccount.objects.filter(contract=contract, status=FinalAccount.Status.CONFIRMED).exists():
        raise ApplicationError(_("决算已确认，不能修改预算。"), code="closed")
    clean = _clean_lines(lines)
    _refuse_budget(
        money.budget_problems_by_field(
            {k: v["fiscal"] for k, v in clean.items()},
            selectors.rules_for(contract.challenge),
            expected_total=money.wan_to_yuan(contract.budget),
        )
    )
    before = {
        k: {"fiscal": b.fiscal, "self_raised": b.self_raised}
        for k, b in selectors.lines_of(contract=contract).items()
    }
    BudgetLine.objects.filter(contract=contract).delete()
    rows = [BudgetLine(contract=contract, line=line, **v) for line, v in clean.items()]
    for b in rows:
        b.full_clean()
    BudgetLine.objects.bulk_create(rows)
    audit_record(
        actor=actor, action="funds.contract_budget_set", obj=contract, before=before, after=_shown(clean)
    )
    return rows
