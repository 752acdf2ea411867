"""The money on dashboards: staff's tasks for tranches that became payable, budget adjustments awaiting their
approval and final accounts to review; a commissioner's task for the small adjustments of their projects;
staff's card of the money payable now. Collected by core.ui from every app's `dashboard` module."""

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kechuang.core.display import money as written
from kechuang.core.roles import Role, has_role
from kechuang.core.ui import Card, Task

from . import money
from .models import BudgetAdjustment, FinalAccount, Payment
from .workflow import AdjustmentStatus, FinalAccountStatus, PaymentStatus

SHOWN = 10  # decisions listed one by one; beyond that the task says how many more


def _payable(user) -> dict:
    """The payable tranches' number and sum, read once per request (the task and the card share it)."""
    got = getattr(user, "_kc_funds_payable", None)
    if got is None:
        got = Payment.objects.filter(status=PaymentStatus.PAYABLE).aggregate(
            n=Count("pk"), total=Sum("amount")
        )
        user._kc_funds_payable = got
    return got


def _money_page(contract_id) -> str:
    return reverse("funds:contract", args=[contract_id])


def _adjustment_tasks(qs) -> list[Task]:
    rows = list(qs.select_related("contract").order_by("created_at", "pk")[: SHOWN + 1])
    tasks = [
        Task(
            _("预算调整待审批：%(c)s（%(src)s → %(dst)s，%(a)s）")
            % {
                "c": a.contract.code,
                "src": a.get_source_display(),
                "dst": a.get_target_display(),
                "a": written(a.amount, unit="元"),
            },
            _money_page(a.contract_id),
            "funds.adjustment",
        )
        for a in rows[:SHOWN]
    ]
    if len(rows) > SHOWN:
        tasks.append(
            Task(
                ngettext("还有 %(n)d 项预算调整待审批", "还有 %(n)d 项预算调整待审批", qs.count() - SHOWN)
                % {"n": qs.count() - SHOWN},
                reverse("funds:overview") + "?by=project",
                "funds.adjustment",
                count=qs.count() - SHOWN,
            )
        )
    return tasks


def tasks_for(user) -> list[Task]:
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    tasks: list[Task] = []
    if has_role(user, Role.STAFF):
        payable = _payable(user)
        if payable["n"]:
            tasks.append(
                Task(
                    ngettext(
                        "%(n)d 笔拨付已可拨付（%(a)s），待审批",
                        "%(n)d 笔拨付已可拨付（%(a)s），待审批",
                        payable["n"],
                    )
                    % {"n": payable["n"], "a": written(payable["total"] or money.ZERO, unit="元")},
                    reverse("funds:overview") + "?by=project",
                    "funds.payable",
                    count=payable["n"],
                )
            )
        # Staff decide every adjustment; the large ones only they may approve.
        tasks += _adjustment_tasks(BudgetAdjustment.objects.filter(status=AdjustmentStatus.PENDING))
        finals = list(
            FinalAccount.objects.filter(status=FinalAccountStatus.SUBMITTED)
            .select_related("contract")
            .order_by("updated_at", "pk")[:SHOWN]
        )
        tasks += [
            Task(
                _("项目决算待审核：%(c)s %(t)s") % {"c": f.contract.code, "t": f.contract.title},
                _money_page(f.contract_id),
                "funds.final",
            )
            for f in finals
        ]
    elif has_role(user, Role.COMMISSIONER):
        tasks += _adjustment_tasks(
            BudgetAdjustment.objects.filter(
                status=AdjustmentStatus.PENDING, large=False, contract__commissioner=user
            )
        )
    return tasks


def cards_for(user) -> list[Card]:
    """Staff: the money payable now (tranches whose milestone was verified, not yet approved)."""
    if user is None or not has_role(user, Role.STAFF):
        return []
    payable = _payable(user)
    if not payable["n"]:
        return []
    return [
        Card(
            _("可拨付经费"),
            written(payable["total"] or money.ZERO, unit="元"),
            reverse("funds:overview") + "?by=project",
            note=ngettext("%(n)d 笔", "%(n)d 笔", payable["n"]) % {"n": payable["n"]},
        )
    ]
