"""Who answers each eligibility rule (issue #18.1). A stage promises rules by key (`workflow.ELIGIBILITY`);
an app that knows the answer registers a checker here from its AppConfig.ready(). programmes sits below
integrity (and below challenges) in the layers, so it cannot ask them; they register with it instead:

    rules.register_eligibility("no_integrity_record", checker)   # kechuang.integrity.apps

A checker is `checker(*, user, unit, call) -> list[str]`: every reason the rule bars this submission, in
words ([] when it does not). A checker may come with a bulk form, `bulk(*, pairs, call) -> list[list[str]]`:
the reasons for many (user, unit) pairs at once, in their order, in a fixed number of queries
(`register_eligibility(rule, checker, bulk=...)`); `answers_many` asks it for a list of applicants (the
形式审查 list) and asks a checker without one pair by pair. A rule nobody answers refuses the submission (`workflow.rule_refusals`), so a
promise is never skipped because an app is missing. programmes answers its own: `unit_verified`,
`no_overdue_project` (its calls; another app may add its own projects through the same key).

Two more registries follow the same direction:

- `register_in_flight(counter)`: `counter(*, user, call) -> int`, the projects this person leads elsewhere
  (challenges counts its running contracts), added to programmes' own count for a stage's
  `max_concurrent` limit (`in_flight`); likewise with an optional `bulk(*, users, call) -> list[int]`
  (`in_flight_elsewhere_many`).
- `register_definition_check(programme_name, checker)`: `checker(stages) -> list[str]`, every reason a
  version of that programme type cannot run on the app that runs it (challenges: the stages its lists can
  skip and those they cannot), added to `workflow.problems` when the version is published, imported or shown
  in the builder (`definition_problems`)."""

from __future__ import annotations

from collections.abc import Callable

_CHECKERS: dict[str, list[Callable[..., list[str]]]] = {}
_BULK: dict[Callable, Callable[..., list[list[str]]]] = {}


def register_eligibility(
    rule: str, checker: Callable[..., list[str]], *, bulk: Callable[..., list[list[str]]] | None = None
) -> None:
    """Let `checker` answer `rule` (registering twice is once; several checkers' reasons are joined);
    `bulk(*, pairs, call)` answers the same for many (user, unit) pairs at once, in their order."""
    checkers = _CHECKERS.setdefault(rule, [])
    if checker not in checkers:
        checkers.append(checker)
    if bulk is not None:
        _BULK[checker] = bulk


def answers(rules: list[str], *, user, unit, call) -> dict[str, list[str]]:
    """{rule: its reasons} for each rule some checker answers; a rule without a checker is left out."""
    out: dict[str, list[str]] = {}
    for rule in rules:
        checkers = _CHECKERS.get(rule)
        if checkers:
            out[rule] = [r for c in checkers for r in c(user=user, unit=unit, call=call) or []]
    return out


def answers_many(rules: list[str], *, pairs, call) -> list[dict[str, list[str]]]:
    """`answers` for each (user, unit) of `pairs`, in their order: a checker with a bulk form answers them
    all in its fixed number of queries, one without is asked pair by pair."""
    pairs = list(pairs)
    out: list[dict[str, list[str]]] = [{} for _pair in pairs]
    for rule in rules:
        checkers = _CHECKERS.get(rule)
        if not checkers:
            continue
        for row in out:
            row[rule] = []
        for c in checkers:
            bulk = _BULK.get(c)
            if bulk is not None:
                answered = bulk(pairs=pairs, call=call)
            else:
                answered = [c(user=user, unit=unit, call=call) for user, unit in pairs]
            for row, reasons in zip(out, answered, strict=True):
                row[rule].extend(reasons or [])
    return out


_IN_FLIGHT: list[Callable[..., int]] = []
_IN_FLIGHT_BULK: dict[Callable, Callable[..., list[int]]] = {}


def register_in_flight(counter: Callable[..., int], *, bulk: Callable[..., list[int]] | None = None) -> None:
    """Let `counter(*, user, call)` add the projects in flight it knows of (registering twice is once);
    `bulk(*, users, call)` counts the same for many people at once, in their order."""
    if counter not in _IN_FLIGHT:
        _IN_FLIGHT.append(counter)
    if bulk is not None:
        _IN_FLIGHT_BULK[counter] = bulk


def in_flight_elsewhere(*, user, call) -> int:
    """The projects in flight the registered apps count for this person."""
    return sum(int(c(user=user, call=call) or 0) for c in _IN_FLIGHT)


def in_flight_elsewhere_many(*, users, call) -> list[int]:
    """`in_flight_elsewhere` for each of `users`, in their order (bulk forms where registered)."""
    users = list(users)
    totals = [0] * len(users)
    for c in _IN_FLIGHT:
        bulk = _IN_FLIGHT_BULK.get(c)
        counts = bulk(users=users, call=call) if bulk is not None else [c(user=u, call=call) for u in users]
        for i, n in enumerate(counts):
            totals[i] += int(n or 0)
    return totals


_DEFINITION_CHECKS: dict[str, list[Callable[[list[dict]], list[str]]]] = {}


def register_definition_check(programme_name: str, checker: Callable[[list[dict]], list[str]]) -> None:
    """Let `checker(stages)` refuse versions of the programme type named `programme_name`."""
    checkers = _DEFINITION_CHECKS.setdefault(programme_name, [])
    if checker not in checkers:
        checkers.append(checker)


def definition_problems(programme_name: str, stages: list[dict]) -> list[str]:
    """Every reason the apps that run `programme_name` give against these stages ([] when none)."""
    return [str(p) for c in _DEFINITION_CHECKS.get((programme_name or "").strip(), []) for p in c(stages)]
