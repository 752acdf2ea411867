"""Amounts and the budget rules as pure functions: no database, no floats.

Amounts are kept in 元 as `Decimal` with two places (to the fen); people type and read them in 万元. A
万元 amount converts to 元 exactly (× 10 000); an amount with more than six decimal places in 万元 (below a
fen) is refused, never rounded away silently.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

FEN = Decimal("0.01")
WAN = Decimal("10000")
ZERO = Decimal("0.00")

# The standard budget lines of a national (and provincial) S&T project after the 2021 reform
# (国办发〔2021〕32号): direct costs are equipment, business and labour; indirect costs are the rest.
EQUIPMENT, BUSINESS, LABOUR, INDIRECT = "equipment", "business", "labour", "indirect"
DIRECT_LINES = (EQUIPMENT, BUSINESS, LABOUR)
LINES = (*DIRECT_LINES, INDIRECT)


class BelowFen(ValueError):
    """An amount that is not a whole number of fen."""


def yuan(value) -> Decimal:
    """`value` (元) as an exact Decimal to the fen; BelowFen when it has a fraction of a fen."""
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    exact = amount.quantize(FEN)
    if exact != amount:
        raise BelowFen(_("金额须精确到分。"))
    return exact


def wan_to_yuan(value) -> Decimal:
    """An amount typed in 万元 as 元, exactly (BelowFen when finer than a fen)."""
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    return yuan(amount * WAN)


def yuan_to_wan(value: Decimal) -> Decimal:
    """An amount in 元 as 万元, exactly (at most six places)."""
    return plain((Decimal(value) / WAN).quantize(Decimal("0.000001")))


def plain(value: Decimal) -> Decimal:
    """`value` without trailing zeros and never in exponent form (100, not 1E+2)."""
    d = Decimal(value).normalize()
    return d.quantize(Decimal(1)) if d == d.to_integral() else d


def total(amounts: Iterable) -> Decimal:
    """The exact sum of amounts in 元."""
    out = ZERO
    for a in amounts:
        out += yuan(a)
    return out


@dataclass(frozen=True)
class Rules:
    """A programme's budget rules: the indirect-cost cap and who decides an adjustment."""

    indirect_max_pct: Decimal = Decimal("20")  # indirect costs ≤ this % of the direct costs
    adjust_small_pct: Decimal = Decimal("10")  # an adjustment moving ≤ this % of its source line …
    adjust_small_amount: Decimal = Decimal("100000.00")  # … and ≤ this many 元 is the commissioner's


def direct(lines: Mapping[str, Decimal]) -> Decimal:
    return total(lines.get(k, ZERO) for k in DIRECT_LINES)


def indirect_cap(lines: Mapping[str, Decimal], rules: Rules) -> Decimal:
    """The most indirect costs may be under `rules`, to the fen (rounded down: a cap never rounds up)."""
    from decimal import ROUND_DOWN

    return (direct(lines) * rules.indirect_max_pct / Decimal(100)).quantize(FEN, rounding=ROUND_DOWN)


TOTAL = "total"  # a refusal about the fiscal lines' sum (budget_problems_by_field), said beside the total


def budget_problems_by_field(
    lines: Mapping[str, Decimal], rules: Rules, *, expected_total: Decimal | None
) -> list[tuple[str, str]]:
    """Every reason the fiscal budget `lines` (元 by line) breaks the rules, each with what it concerns: a
    line's code (its amount), TOTAL (the lines' sum) or "" (the budget as a whole); empty when it keeps them."""
    problems = []
    unknown = sorted(set(lines) - set(LINES))
    if unknown:
        problems.append(("", _("未知的预算科目。")))
    for line, v in lines.items():
        if Decimal(v) < 0:
            problems.append((line, _("预算金额不能为负数。")))
    cap = indirect_cap(lines, rules)
    ind = yuan(lines.get(INDIRECT, ZERO))
    if ind > cap:
        problems.append(
            (
                INDIRECT,
                _("间接费用 %(ind)s 万元超过上限：不得超过直接费用的 %(pct)s%%，即 %(cap)s 万元。")
                % {"ind": yuan_to_wan(ind), "pct": plain(rules.indirect_max_pct), "cap": yuan_to_wan(cap)},
            )
        )
    if expected_total is not None:
        got = total(lines.values())
        if got != yuan(expected_total):
            problems.append(
                (
                    TOTAL,
                    _("各科目财政经费合计 %(got)s 万元，与申请财政经费 %(want)s 万元不一致。")
                    % {"got": yuan_to_wan(got), "want": yuan_to_wan(yuan(expected_total))},
                )
            )
    return problems


def budget_problems(
    lines: Mapping[str, Decimal], rules: Rules, *, expected_total: Decimal | None
) -> list[str]:
    """Every reason the fiscal budget `lines` (元 by line) breaks the rules; empty when it keeps them."""
    return reasons(budget_problems_by_field(lines, rules, expected_total=expected_total))


def reasons(problems: list[tuple[str, str]]) -> list[str]:
    """The reasons of `problems` (what, why) once each, in order: a negative amount on two lines is one reason."""
    return list(dict.fromkeys(why for _where, why in problems))


def by_field(problems: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Refusals by what they concern, as an ApplicationError's `fields`: those about the whole under
    "__all__" (a form's non-field errors)."""
    out: dict[str, list[str]] = {}
    for where, why in problems:
        out.setdefault(where or "__all__", []).append(why)
    return out


def adjustment_is_large(*, amount: Decimal, source_line: Decimal, rules: Rules) -> bool:
    """Whether moving `amount` out of a line of `source_line` 元 needs staff (else the commissioner decides)."""
    if yuan(amount) > rules.adjust_small_amount:
        return True
    if source_line <= 0:
        return True
    return yuan(amount) * Decimal(100) > yuan(source_line) * rules.adjust_small_pct


def adjustment_problems_by_field(
    *, lines: Mapping[str, Decimal], source: str, target: str, amount: Decimal, rules: Rules
) -> list[tuple[str, str]]:
    """Every reason moving `amount` 元 from line `source` to line `target` is refused, each with the field of
    the adjustment form it concerns (source, target, amount)."""
    problems = []
    if source == target:
        problems.append(("target", _("调出科目与调入科目不能相同。")))
    if yuan(amount) <= 0:
        problems.append(("amount", _("调整金额须大于零。")))
    if target == INDIRECT:
        problems.append(("target", _("间接费用不得调增。")))
    if yuan(amount) > yuan(lines.get(source, ZERO)):
        problems.append(("amount", _("调整金额超过调出科目的预算。")))
    if problems:
        return problems
    after = dict(lines)
    after[source] = yuan(after.get(source, ZERO)) - yuan(amount)
    after[target] = yuan(after.get(target, ZERO)) + yuan(amount)
    if yuan(after.get(INDIRECT, ZERO)) > indirect_cap(after, rules):
        problems.append(
            (
                "amount",
                _("调整后间接费用将超过直接费用的 %(pct)s%%。") % {"pct": plain(rules.indirect_max_pct)},
            )
        )
    return problems


def adjustment_problems(
    *, lines: Mapping[str, Decimal], source: str, target: str, amount: Decimal, rules: Rules
) -> list[str]:
    """Every reason moving `amount` 元 from line `source` to line `target` is refused."""
    return [
        why
        for _where, why in adjustment_problems_by_field(
            lines=lines, source=source, target=target, amount=amount, rules=rules
        )
    ]


def balance(*, received: Iterable, spent: Iterable) -> Decimal:
    """Funds received less funds spent, exactly (negative when overspent)."""
    return total(received) - total(spent)
