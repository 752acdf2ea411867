"""Who answers each eligibility rule (issue #18.1). A stage promises rules by key (`workflow.ELIGIBILITY`);
an app that knows the answer registers a checker here from its AppConfig.ready(). programmes sits below
integrity (and below challenges) in the layers, so it cannot ask them; they register with it instead:

    rules.register_eligibility("no_integrity_record", checker)   # kechuang.integrity.apps

A checker is `checker(*, user, unit, call) -> list[str]`: every reason the rule bars this submission, in
words ([] when it does not). A rule nobody answers refuses the submission (`workflow.rule_refusals`), so a
promise is never skipped because an app is missing. programmes answers its own: `unit_verified`,
`no_overdue_project` (its calls; another app may add its own projects through the same key)."""

from __future__ import annotations

from collections.abc import Callable

_CHECKERS: dict[str, list[Callable[..., list[str]]]] = {}


def register_eligibility(rule: str, checker: Callable[..., list[str]]) -> None:
    """Let `checker` answer `rule` (registering twice is once; several checkers' reasons are joined)."""
    checkers = _CHECKERS.setdefault(rule, [])
    if checker not in checkers:
        checkers.append(checker)


def answers(rules: list[str], *, user, unit, call) -> dict[str, list[str]]:
    """{rule: its reasons} for each rule some checker answers; a rule without a checker is left out."""
    out: dict[str, list[str]] = {}
    for rule in rules:
        checkers = _CHECKERS.get(rule)
        if checkers:
            out[rule] = [r for c in checkers for r in c(user=user, unit=unit, call=call) or []]
    return out
