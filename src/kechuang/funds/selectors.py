"""Reads of the money: rules of a call, budgets, payments, spending against budget, the department view."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.accounts.models import Unit
from kechuang.challenges.models import Application, Contract, Topic
from kechuang.core.language import local_name
from kechuang.core.ui import Panel

from . import money, permissions
from .models import (
    BudgetAdjustment,
    BudgetLine,
    CofundingReceipt,
    FinalAccount,
    FundingRules,
    Line,
    Payment,
    SpendingLine,
    SpendingReport,
)
from .workflow import PaymentStatus


def rules_for(challenge) -> money.Rules:
    """The call's budget rules (the defaults when staff set none)."""
    row = FundingRules.objects.filter(challenge=challenge).first()
    return row.as_rules() if row else money.Rules()


def lines_of(*, application=None, contract=None) -> dict[str, BudgetLine]:
    """The budget lines of an application or a contract, by line."""
    qs = (
        BudgetLine.objects.filter(application=application)
        if application
        else BudgetLine.objects.filter(contract=contract)
    )
    return {b.line: b for b in qs}


def fiscal_by_line(*, application=None, contract=None) -> dict[str, Decimal]:
    return {k: b.fiscal for k, b in lines_of(application=application, contract=contract).items()}


def budget_rows(*, application=None, contract=None) -> list[dict]:
    """Every standard line in order with its amounts (zero where absent), and the totals row's figures."""
    got = lines_of(application=application, contract=contract)
    rows = []
    for value, label in Line.choices:
        b = got.get(value)
        rows.append(
            {
                "line": value,
                "label": label,
                "fiscal": b.fiscal if b else money.ZERO,
                "self_raised": b.self_raised if b else money.ZERO,
                "note": b.note if b else "",
            }
        )
    return rows


def application_budget_problems(application: Application) -> list[str]:
    """The rules an application's budget breaks (none when it has no budget lines yet)."""
    lines = fiscal_by_line(application=application)
    if not lines:
        return []
    expected = money.wan_to_yuan(application.budget_requested) if application.budget_requested else None
    return money.budget_problems(lines, rules_for(application.challenge), expected_total=expected)


def contract_get(*, pk, user) -> Contract:
    """A contract the user may see, with what its money pages read (DoesNotExist otherwise)."""
    return (
        permissions.contracts_visible_to(user)
        .select_related("challenge", "challenge__cofunder", "unit", "leader", "commissioner", "application")
        .get(pk=pk)
    )


def payments_of(contract: Contract) -> QuerySet[Payment]:
    return Payment.objects.filter(contract=contract).select_related("milestone", "approved_by")


def spending_by_line(contract: Contract) -> dict[str, Decimal]:
    """Total reported spending of a project by budget line (元)."""
    rows = (
        SpendingLine.objects.filter(report__contract=contract)
        .values("line")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    return {r["line"]: r["s"] or money.ZERO for r in rows}


def execution_rows(contract: Contract) -> list[dict]:
    """Budget against spending by line: budget (fiscal + self), spent, left, and the share spent."""
    spent = spending_by_line(contract)
    rows = []
    for r in budget_rows(contract=contract):
        budget = r["fiscal"] + r["self_raised"]
        s = spent.get(r["line"], money.ZERO)
        rows.append(
            {
                **r,
                "budget": budget,
                "spent": s,
                "left": budget - s,
                "pct": (s * 100 / budget).quantize(Decimal("0.1")) if budget else None,
            }
        )
    return rows


def received_of(contract: Contract) -> Decimal:
    """What reached the project: paid tranches and co-funding receipts (元)."""
    paid = Payment.objects.filter(contract=contract, status=PaymentStatus.PAID).aggregate(
        s=Sum("paid_amount")
    )["s"]
    co = CofundingReceipt.objects.filter(contract=contract).aggregate(s=Sum("amount"))["s"]
    return (paid or money.ZERO) + (co or money.ZERO)


def funds_page(contract: Contract) -> dict:
    """Everything the project's money page shows, read in a bounded number of queries."""
    payments = list(payments_of(contract))
    return {
        "budget": budget_rows(contract=contract),
        "execution": execution_rows(contract),
        "payments": payments,
        "cofunding": list(CofundingReceipt.objects.filter(contract=contract).select_related("cofunder")),
        "reports": list(
            SpendingReport.objects.filter(contract=contract).prefetch_related(
                Prefetch("lines", queryset=SpendingLine.objects.order_by("id"))
            )
        ),
        "adjustments": list(
            BudgetAdjustment.objects.filter(contract=contract).select_related("requested_by", "decided_by")
        ),
        "final_account": FinalAccount.objects.filter(contract=contract).first(),
        "received": received_of(contract),
        "spent": sum(spending_by_line(contract).values(), money.ZERO),
        "planned": sum((p.amount for p in payments), money.ZERO),
        "rules": rules_for(contract.challenge),
    }


# --- the department view ----------------------------------------------------------------------------------

DIMENSIONS = {  # lazy: read in the page's language, not the one at import
    "programme": gettext_lazy("赛道"),
    "year": gettext_lazy("年度"),
    "unit": gettext_lazy("承担单位"),
    "project": gettext_lazy("项目"),
}


@dataclass
class OverviewRow:
    key: object
    label: str
    committed: Decimal = money.ZERO
    payable: Decimal = money.ZERO
    approved: Decimal = money.ZERO
    paid: Decimal = money.ZERO
    withheld: Decimal = money.ZERO
    projects: int = 0


def overview(*, by: str, year: int | None = None) -> list[OverviewRow]:
    """Money committed (every tranche of a signed project), payable, approved, paid and withheld, grouped
    by programme (the topic's track), the call's year, the unit or the project. Two queries."""
    if by not in DIMENSIONS:
        by = "programme"
    key_field = {
        "programme": "contract__challenge__topic__track",
        "year": "contract__challenge__year",
        "unit": "contract__unit_id",
        "project": "contract_id",
    }[by]
    qs = Payment.objects.exclude(contract__status="draft")
    if year:
        qs = qs.filter(contract__challenge__year=year)
    rows = (
        qs.values(key_field, "status")
        .annotate(planned=Sum("amount"), paid=Sum("paid_amount"))
        .order_by(key_field, "status")
    )
    out: dict = {}
    projects = defaultdict(set)
    for r in rows:
        key = r[key_field]
        row = out.setdefault(key, OverviewRow(key=key, label=""))
        row.committed += r["planned"] or money.ZERO
        if r["status"] == PaymentStatus.PAYABLE:
            row.payable += r["planned"]
        elif r["status"] == PaymentStatus.APPROVED:
            row.approved += r["planned"]
        elif r["status"] == PaymentStatus.PAID:
            row.paid += r["paid"] or money.ZERO
        elif r["status"] == PaymentStatus.WITHHELD:
            row.withheld += r["planned"]
    for c in qs.values(key_field, "contract_id").distinct().order_by():
        projects[c[key_field]].add(c["contract_id"])
    labels = _labels(by, list(out))
    for key, row in out.items():
        row.label = labels.get(key, str(key) if key not in (None, "") else _("未分类"))
        row.projects = len(projects[key])
    return sorted(out.values(), key=lambda r: (-r.committed, r.label))


def _labels(by: str, keys: list) -> dict:
    if by == "programme":
        return {k: str(Topic.Track(k).label) for k in keys if k in Topic.Track.values}
    if by == "year":
        return {k: _("%(y)s年") % {"y": k} for k in keys}
    if by == "unit":
        rows = Unit.objects.filter(pk__in=keys).values_list("pk", "name", "name_en")
        return {pk: local_name(name, name_en) for pk, name, name_en in rows}
    return {c.pk: f"{c.code} {c.title}" for c in Contract.objects.filter(pk__in=keys).only("code", "title")}


def overview_years() -> list[int]:
    return sorted(
        set(Payment.objects.values_list("contract__challenge__year", flat=True).distinct().order_by()),
        reverse=True,
    )


# --- panels on the challenges pages -------------------------------------------------------------------------


def contract_panel(*, contract=None, user=None, **kwargs):
    """The project page's money summary: planned, paid, withheld, and a link to the money page."""
    if contract is None or not permissions.can_view_funds(user, contract):
        return None

    # summed: no order (the model's ordering would join the project and the milestones)
    payments = list(
        Payment.objects.filter(contract=contract).order_by().values_list("status", "amount", "paid_amount")
    )
    return Panel(
        "funds/_contract_panel.html",
        {
            "contract": contract,
            "planned": sum((a for _s, a, _p in payments), money.ZERO),
            "paid": sum((p or money.ZERO for s, _a, p in payments if s == PaymentStatus.PAID), money.ZERO),
            "withheld": sum((a for s, a, _p in payments if s == PaymentStatus.WITHHELD), money.ZERO),
            "count": len(payments),
        },
        order=50,
    )


def application_panel(*, application=None, user=None, **kwargs):
    """The application page's budget by line, with a link to edit it while the applicant may."""
    if application is None or not permissions.can_view_budget(user, application):
        return None

    rows = budget_rows(application=application)
    fiscal = {r["line"]: r["fiscal"] for r in rows if r["fiscal"] or r["self_raised"]}
    expected = money.wan_to_yuan(application.budget_requested) if application.budget_requested else None
    problems = (
        money.budget_problems(fiscal, rules_for(application.challenge), expected_total=expected)
        if fiscal
        else []
    )
    return Panel(
        "funds/_application_panel.html",
        {
            "application": application,
            "rows": rows,
            "fiscal": sum((r["fiscal"] for r in rows), money.ZERO),
            "self_raised": sum((r["self_raised"] for r in rows), money.ZERO),
            "problems": problems,
            "can_edit": permissions.can_edit_budget(user, application),
            # no line filled yet: a table of zeros beside the requested total would read as a budget of 0
            "filled": any(r["fiscal"] or r["self_raised"] for r in rows),
        },
        order=50,
    )
