"""The world the money tests share: a standard budget, a voucher, a signed project whose ledger the signing
opened, a milestone verified (its tranche payable), an API client."""

import datetime

import pytest
from rest_framework.test import APIClient

from kechuang.challenges import services as ch
from kechuang.challenges.tests.factories import ContractFactory
from kechuang.funds import services
from kechuang.funds.models import Payment

PDF = b"%PDF-1.4\n%voucher\n"
BUDGET = [
    {"line": "equipment", "fiscal": "2000000", "self_raised": "500000", "note": "单晶炉 2 台"},
    {"line": "business", "fiscal": "2500000"},
    {"line": "labour", "fiscal": "500000"},
    {"line": "indirect", "fiscal": "1000000"},
]  # 600 万元, indirect 100 万 ≤ 20 % of 500 万


@pytest.fixture
def signed(staff):
    """A signed project whose application had a budget: its ledger opened by the signing."""
    c = ContractFactory()
    app = c.application
    app.status = "draft"
    app.save(update_fields=["status"])
    services.application_budget_set(actor=app.leader, application=app, lines=BUDGET)
    app.status = "awarded"
    app.save(update_fields=["status"])
    ch.contract_sign(actor=staff, contract=c)
    c.refresh_from_db()
    return c


def verify(c, seq=1) -> Payment:
    """Milestone `seq` of `c` reported at its targets and verified: its tranche's payment (now payable)."""
    m = c.milestones.get(seq=seq)
    ch.milestone_report(
        actor=c.leader,
        milestone=m,
        report="完成",
        values={v.indicator.name: v.target for v in m.values.all()},
    )
    ch.milestone_verify(actor=c.commissioner, milestone=m)
    return Payment.objects.get(milestone=m)


def pay(staff, payment: Payment, amount: str) -> Payment:
    """A payable tranche approved and paid by staff (5 January 2026, `amount` 元, a voucher attached)."""
    services.payment_transition(actor=staff, payment=payment, action="approve")
    services.payment_transition(
        actor=staff,
        payment=payment,
        action="pay",
        paid_on=datetime.date(2026, 1, 5),
        paid_amount=amount,
        voucher=(PDF, "v.pdf"),
    )
    return payment


def api(user) -> APIClient:
    a = APIClient()
    a.force_authenticate(user)
    return a
