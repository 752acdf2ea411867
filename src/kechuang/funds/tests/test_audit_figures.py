"""A payment's audit entry writes its amount as people write it (1500000 on a Chinese page, 1,500,000 on an
English one), not as the column stores it (1500000.00)."""

import pytest
from django.utils import translation

from kechuang.core.audit import audit_trail_for
from kechuang.core.display import audit_lines, figure

from .conftest import pay, verify

pytestmark = pytest.mark.django_db


def test_the_amount_paid_reads_as_a_figure_in_the_trail(staff, signed):
    payment = pay(staff, verify(signed), "1500000.00")
    with translation.override("zh-hans"):
        changes = [(c.label, c.new) for line in audit_lines(audit_trail_for(payment)) for c in line.changes]
    assert ("拨付金额（元）", "1500000") in changes
    assert not any(".00" in str(new) for _label, new in changes)
    with translation.override("en"):
        changes = [(c.label, c.new) for line in audit_lines(audit_trail_for(payment)) for c in line.changes]
    assert ("Amount paid (yuan)", "1,500,000") in changes


def test_a_figure_drops_padding_zeros_and_groups_thousands_as_the_reader_does():
    with translation.override("en"):
        assert figure("9000000.00") == "9,000,000"
        assert figure("12.5000") == "12.5"
        assert figure("0.00") == "0"
        assert figure("abc") == "abc"
    with translation.override("zh-hans"):
        assert figure("9000000.00") == "9000000"


def test_a_budgets_and_a_ledgers_amounts_read_as_figures_in_the_trail(signed):
    """Inside a budget's lines and the ledger's tranches the amounts had read as stored ("Government funding
    (yuan): 8000000.00", "Planned tranches (yuan): 10000000.00, 10000000.00"): figures, as a payment's
    (people34)."""
    with translation.override("en"):
        said = " ".join(
            f"{c.label}: {c.new}" for line in audit_lines(audit_trail_for(signed)) for c in line.changes
        )
    assert "2,000,000" in said and "2,500,000" in said, said
    assert ".00" not in said and "2000000" not in said
    with translation.override("zh-hans"):
        said = " ".join(str(c.new) for line in audit_lines(audit_trail_for(signed)) for c in line.changes)
    assert "2000000" in said and ".00" not in said
