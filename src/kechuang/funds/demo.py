"""The demo province's money: the signed projects' budgets by line, tranches approved, paid (with a voucher)
and withheld, a co-funder's receipt, quarterly spending, a small adjustment the commissioner approved and a
large one waiting for staff, and the accepted project's final accounts confirmed. Idempotent: skipped once
any spending report exists. Runs after challenges, whose signings opened the ledgers (the hooks)."""

import datetime
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from kechuang.accounts.models import User
from kechuang.challenges.models import Application, Contract
from kechuang.core.commands import say

from . import money, selectors, services
from .models import BudgetLine, Payment, SpendingReport

SHARES = {"equipment": Decimal("0.40"), "business": Decimal("0.35"), "labour": Decimal("0.10")}
VOUCHER = b"%PDF-1.4\n% demo payment voucher\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _lines(total_wan: Decimal, notes: bool = True) -> list[dict]:
    total = money.wan_to_yuan(total_wan)
    rows = {k: (total * v).quantize(money.FEN) for k, v in SHARES.items()}
    rows["indirect"] = total - money.total(rows.values())  # the rest: exact, 15 % of the total
    note = {
        "equipment": "关键设备购置",
        "business": "材料、测试化验、差旅会议",
        "labour": "研究生与博士后劳务",
    }
    return [{"line": k, "fiscal": v, "note": note.get(k, "") if notes else ""} for k, v in rows.items()]


@transaction.atomic
def load(*, stdout=None) -> None:
    staff = User.objects.filter(username="staff").first()
    if staff is None or SpendingReport.objects.exists():
        return
    today = timezone.localdate()
    signed = list(
        Contract.objects.exclude(status__in=["draft", "terminated", "stopped", "merged", "failed"])
        .select_related("challenge", "challenge__cofunder", "commissioner", "leader")
        .order_by("pk")
    )
    if not signed:
        return
    services.rules_set(
        actor=staff,
        challenge=signed[0].challenge,
        indirect_max_pct=Decimal("20"),
        adjust_small_pct=Decimal("10"),
        adjust_small_amount=Decimal("100000"),
    )
    for c in signed:
        services.ledger_open(actor=staff, contract=c)
        if not BudgetLine.objects.filter(contract=c).exists() and c.budget > 0:
            services.contract_budget_set(actor=staff, contract=c, lines=_lines(c.budget))
    # Payments: the payable tranches approved and paid with a voucher, except one withheld.
    for p in Payment.objects.filter(contract__in=signed, status="payable").select_related(
        "contract", "milestone"
    ):
        services.payment_transition(actor=staff, payment=p, action="approve")
        services.payment_transition(
            actor=staff,
            payment=p,
            action="pay",
            paid_on=min(
                today, (p.milestone.verified_at or timezone.now()).date() + datetime.timedelta(days=10)
            ),
            paid_amount=p.amount,
            voucher=(VOUCHER, f"拨付凭证-{p.contract.code}-{p.milestone.seq}.pdf"),
        )
    hold = (
        Payment.objects.filter(contract__in=signed, contract__status="in_progress", status="planned")
        .order_by("-milestone__seq")
        .first()
    )
    if hold is not None:
        services.payment_transition(
            actor=staff, payment=hold, action="withhold", reason="中期审计发现票据不全，整改后拨付"
        )
    # Co-funding: half of the co-funder's share arrived.
    for c in signed:
        if c.challenge.cofunder_id and c.challenge.cofund_share:
            share = (money.wan_to_yuan(c.budget) * c.challenge.cofund_share / 200).quantize(money.FEN)
            services.cofunding_record(
                actor=staff,
                contract=c,
                amount_yuan=share,
                received_on=c.start_date + datetime.timedelta(days=30),
                note="首笔联合出资到账",
            )
    # Spending: two quarters per project, a share of each line, never more than reached the project (paid
    # tranches and co-funding): a project that spent money it never received is no example to show.
    for c in signed:
        budget = {b.line: b.fiscal for b in BudgetLine.objects.filter(contract=c)}
        received = selectors.received_of(c)
        if not budget or received <= 0:
            continue
        year = c.start_date.year
        planned = {
            q: {k: (v * share).quantize(money.FEN) for k, v in budget.items()}
            for q, share in ((1, Decimal("0.15")), (2, Decimal("0.20")))
        }
        total = sum((money.total(lines.values()) for lines in planned.values()), money.ZERO)
        scale = min(Decimal(1), received * Decimal("0.9") / total) if total else Decimal(1)
        for q, lines in planned.items():
            services.spending_report_set(
                actor=c.leader,
                contract=c,
                year=year,
                quarter=q,
                lines={k: (v * scale).quantize(money.FEN, rounding=ROUND_DOWN) for k, v in lines.items()},
                note="按进度执行。",
            )
    running = [
        c for c in signed if c.status == "in_progress" and BudgetLine.objects.filter(contract=c).exists()
    ]
    if running:
        c = running[0]
        small = services.adjustment_request(
            actor=c.leader,
            contract=c,
            source="business",
            target="equipment",
            amount_yuan="80000",
            reason="测试设备报价上涨",
        )
        services.adjustment_decide(
            actor=c.commissioner or staff, adjustment=small, approve=True, note="同意，在专员权限内"
        )
        services.adjustment_request(
            actor=c.leader,
            contract=c,
            source="business",
            target="labour",
            amount_yuan="600000",
            reason="增加博士后两名",
        )
    finished = [
        c for c in signed if c.status == "finished" and BudgetLine.objects.filter(contract=c).exists()
    ]
    for c in finished[:1]:
        fa = services.final_account_draft(
            actor=c.leader, contract=c, handling="keep_balance", note="结余用于后续产业化验证"
        )
        if fa.balance <= 0:
            fa = services.final_account_draft(
                actor=c.leader, contract=c, handling="no_balance", note="经费已全部使用"
            )
        services.final_account_transition(actor=c.leader, account=fa, action="submit")
        services.final_account_transition(actor=staff, account=fa, action="confirm")
    # One draft application's budget, set on its page; every submitted one's as its applicant filled it in
    # before submitting (an application page read "合计 0" beside a request of 2,800 万元 without).
    app = Application.objects.filter(status="draft", budget_requested__gt=0).select_related("leader").first()
    if app is not None:
        services.application_budget_set(actor=app.leader, application=app, lines=_lines(app.budget_requested))
    unfilled = Application.objects.filter(budget_requested__gt=0, budget_lines__isnull=True).exclude(
        status="draft"
    )
    for a in unfilled:
        rows = [
            BudgetLine(application=a, line=r["line"], fiscal=r["fiscal"], note=r["note"])
            for r in _lines(a.budget_requested)
        ]
        for b in rows:
            b.full_clean()
        BudgetLine.objects.bulk_create(rows)
    say(stdout, gettext_noop("经费：%(n)s 个项目有台账"), n=len(signed))
