"""The pure money rules: exact amounts, the indirect-cost cap, who decides an adjustment."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kechuang.funds import money

FEN_AMOUNTS = st.integers(min_value=0, max_value=10**13).map(lambda n: Decimal(n) / 100)
RULES = money.Rules()


@given(st.lists(FEN_AMOUNTS, max_size=60))
def test_sums_of_fen_amounts_stay_exact(amounts):
    # The sum equals the integer sum of fen: nothing is lost to binary fractions.
    assert money.total(amounts) * 100 == sum(int(a * 100) for a in amounts)


@given(st.integers(min_value=0, max_value=10**12))
def test_wan_and_yuan_round_trip_exactly(fen):
    wan = Decimal(fen) / 1000000
    assert money.wan_to_yuan(wan) == Decimal(fen) / 100
    assert money.yuan_to_wan(money.wan_to_yuan(wan)) == wan


@given(st.lists(FEN_AMOUNTS, min_size=2, max_size=20), st.integers(min_value=0, max_value=19))
def test_an_adjustment_moves_money_without_changing_the_total(amounts, k):
    lines = dict(zip(money.DIRECT_LINES, amounts[:3], strict=False))
    source, target = money.EQUIPMENT, money.LABOUR
    lines.setdefault(source, money.ZERO)
    moved = (lines[source] * k / 20).quantize(money.FEN, rounding="ROUND_DOWN")
    before = money.total(lines.values())
    after = dict(lines)
    after[source] -= moved
    after[target] = after.get(target, money.ZERO) + moved
    assert money.total(after.values()) == before


def test_a_fraction_of_a_fen_is_refused_not_rounded():
    with pytest.raises(money.BelowFen):
        money.yuan("1.005")
    with pytest.raises(money.BelowFen):
        money.wan_to_yuan("0.0000001")


def test_indirect_costs_within_the_cap_pass_and_above_it_are_refused_with_the_cap():
    lines = {"equipment": Decimal("1000000"), "business": Decimal("2000000"), "labour": Decimal("1000000")}
    assert money.indirect_cap(lines, RULES) == Decimal("800000.00")
    assert money.budget_problems({**lines, "indirect": Decimal("800000")}, RULES, expected_total=None) == []
    problems = money.budget_problems({**lines, "indirect": Decimal("800000.01")}, RULES, expected_total=None)
    assert problems and "80 万元" in problems[0] and "20%" in problems[0]


def test_the_lines_must_add_up_to_the_requested_budget():
    lines = {"equipment": Decimal("1000000"), "indirect": Decimal("100000")}
    assert money.budget_problems(lines, RULES, expected_total=Decimal("1100000")) == []
    (problem,) = money.budget_problems(lines, RULES, expected_total=Decimal("1200000"))
    assert "110 万元" in problem and "120 万元" in problem


def test_a_custom_cap_applies():
    rules = money.Rules(indirect_max_pct=Decimal("10"))
    lines = {"business": Decimal("1000000"), "indirect": Decimal("150000")}
    assert money.budget_problems(lines, rules, expected_total=None)
    assert not money.budget_problems(lines, money.Rules(), expected_total=None)


def test_small_and_large_adjustments():
    line = Decimal("1000000")
    assert not money.adjustment_is_large(amount=Decimal("100000"), source_line=line, rules=RULES)
    assert money.adjustment_is_large(amount=Decimal("100000.01"), source_line=line, rules=RULES)
    # 10 % of a 500 000 line is 50 000: 60 000 is within the amount but over the share
    assert money.adjustment_is_large(amount=Decimal("60000"), source_line=Decimal("500000"), rules=RULES)


@pytest.mark.parametrize(
    ("source", "target", "amount", "reason"),
    [
        ("equipment", "equipment", "1", "不能相同"),
        ("equipment", "indirect", "1", "不得调增"),
        ("equipment", "labour", "2000000", "超过调出科目"),
        ("equipment", "labour", "0", "大于零"),
    ],
)
def test_each_adjustment_refusal_says_why(source, target, amount, reason):
    lines = {"equipment": Decimal("1000000"), "business": Decimal("1000000"), "indirect": Decimal("400000")}
    problems = money.adjustment_problems(
        lines=lines, source=source, target=target, amount=Decimal(amount), rules=RULES
    )
    assert any(reason in p for p in problems)


def test_an_adjustment_between_direct_lines_passes():
    lines = {"equipment": Decimal("1000000"), "business": Decimal("1000000"), "indirect": Decimal("400000")}
    assert (
        money.adjustment_problems(
            lines=lines, source="equipment", target="labour", amount=Decimal("1"), rules=RULES
        )
        == []
    )
