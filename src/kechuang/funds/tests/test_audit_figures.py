"""The money in the trail reads as people write money (150 万元 on a Chinese page, CNY 1.5 million on an
English one), as the funds page writes it, under a label without the unit: a payment's amount had read as the
column stores it (1500000.00), then as a bare figure under "拨付金额（元）" (people34); a co-funding receipt's
as "Amount (CNY 10,000): 1,800,000" though stored in 元 (walked, session 34, people35)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.challenges.tests.factories import ContractFactory
from kechuang.core.audit import audit_trail_for
from kechuang.core.display import audit_lines, figure
from kechuang.funds import services

from .conftest import pay, verify

pytestmark = pytest.mark.django_db


def _changes(obj, language):
    with translation.override(language):
        return [(c.label, c.new) for line in audit_lines(audit_trail_for(obj)) for c in line.changes]


def test_the_amount_paid_reads_as_money_in_the_trail(staff, signed):
    payment = pay(staff, verify(signed), "1500000.00")
    changes = _changes(payment, "zh-hans")
    assert ("拨付金额", "150 万元") in changes
    assert not any(".00" in str(new) or "（元）" in label for label, new in changes)
    assert ("Amount paid", "CNY 1.5 million") in _changes(payment, "en")


def test_a_figure_drops_padding_zeros_and_groups_thousands_as_the_reader_does():
    with translation.override("en"):
        assert figure("9000000.00") == "9,000,000"
        assert figure("12.5000") == "12.5"
        assert figure("0.00") == "0"
        assert figure("abc") == "abc"
    with translation.override("zh-hans"):
        assert figure("9000000.00") == "9000000"


def test_a_budgets_and_a_ledgers_amounts_read_as_money_in_the_trail(signed):
    """Inside a budget's lines and the ledger's tranches the amounts had read as stored ("Government funding
    (yuan): 8000000.00", people34), then as bare figures under "(yuan)": money, as the funds page writes it."""
    said = " ".join(f"{label}: {new}" for label, new in _changes(signed, "en"))
    assert "Equipment: CNY 2 million" in said and "Planned tranches: CNY 3 million" in said, said
    assert ".00" not in said and "2,000,000" not in said and "(yuan)" not in said
    said = " ".join(f"{label}：{new}" for label, new in _changes(signed, "zh-hans"))
    assert "设备费：200 万元" in said and "拨付计划：300 万元" in said, said
    assert "2000000" not in said and "（元）" not in said


def test_a_cofunding_receipt_reads_in_yuan_not_under_a_10000_heading(staff):
    c = ContractFactory(
        running=True,
        application__challenge__cofunder=UnitFactory(),
        application__challenge__cofund_share=Decimal("30"),
    )
    services.cofunding_record(
        actor=staff, contract=c, amount_yuan="1800000", received_on=datetime.date(2026, 2, 1)
    )
    assert ("到账金额", "180 万元") in _changes(c, "zh-hans")
    english = _changes(c, "en")
    assert ("Amount received", "CNY 1.8 million") in english
    assert not any("10,000" in label for label, _new in english), english
