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


@pytest.fixture(scope="module")
def money_demo(django_db_setup, django_db_blocker):
    """The whole demo province as `kechuang demo` loads it, the money demo in it with the two it stands on
    (accounts, challenges) before it (dbtemplate.demo_load: the run's demo template, else the command run here);
    taken away after the module (dbtemplate.demo_unload), so no other test sees it. This module loaded those
    three parts itself (about 7 s of CPU a run). Each test runs in its own transaction on top."""
    from kechuang.core import dbtemplate

    with django_db_blocker.unblock():
        dbtemplate.demo_load()
        yield
        dbtemplate.demo_unload()


@pytest.mark.django_db
def test_demo_shows_each_money_feature_and_is_idempotent(money_demo):
    from kechuang.funds import demo

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
def test_no_demo_project_spends_more_than_reached_it(money_demo):
    from kechuang.challenges.models import Contract
    from kechuang.funds import selectors

    spending = {
        c: selectors.funds_page(c) for c in Contract.objects.filter(spending_reports__isnull=False).distinct()
    }
    assert spending  # the demo shows spending at all
    over = {c.code: (d["spent"], d["received"]) for c, d in spending.items() if d["spent"] > d["received"]}
    assert over == {}
