"""The money demo: every feature present with data, and idempotent."""

import io

import pytest

from kechuang.funds.models import (
    BudgetAdjustment,
    BudgetLine,
    CofundingReceipt,
    FinalAccount,
    FundingRules,
    Payment,
    SpendingReport,
)

pytestmark = pytest.mark.slow  # scheduled first: tools/runtests.py, conftest


@pytest.mark.django_db
def test_demo_shows_each_money_feature_and_is_idempotent():
    from kechuang.accounts import demo as accounts_demo
    from kechuang.challenges import demo as challenges_demo
    from kechuang.funds import demo

    accounts_demo.load()
    challenges_demo.load()
    demo.load(stdout=io.StringIO())
    statuses = set(Payment.objects.values_list("status", flat=True))
    assert {"planned", "paid", "withheld"} <= statuses
    assert all(p.voucher for p in Payment.objects.filter(status="paid"))
    assert FundingRules.objects.exists() and CofundingReceipt.objects.exists()
    assert BudgetLine.objects.filter(contract__isnull=False).exists()
    assert BudgetLine.objects.filter(application__isnull=False).exists()
    assert SpendingReport.objects.count() >= 2
    assert set(BudgetAdjustment.objects.values_list("status", flat=True)) == {"approved", "pending"}
    assert FinalAccount.objects.filter(status="confirmed").exists()
    counts = (Payment.objects.count(), SpendingReport.objects.count(), CofundingReceipt.objects.count())
    demo.load(stdout=io.StringIO())
    assert counts == (
        Payment.objects.count(),
        SpendingReport.objects.count(),
        CofundingReceipt.objects.count(),
    )


@pytest.mark.django_db
def test_no_demo_project_spends_more_than_reached_it():
    from kechuang.accounts import demo as accounts_demo
    from kechuang.challenges import demo as challenges_demo
    from kechuang.challenges.models import Contract
    from kechuang.funds import demo, selectors

    accounts_demo.load()
    challenges_demo.load()
    demo.load(stdout=io.StringIO())
    spending = {
        c: selectors.funds_page(c) for c in Contract.objects.filter(spending_reports__isnull=False).distinct()
    }
    assert spending  # the demo shows spending at all
    over = {c.code: (d["spent"], d["received"]) for c, d in spending.items() if d["spent"] > d["received"]}
    assert over == {}
