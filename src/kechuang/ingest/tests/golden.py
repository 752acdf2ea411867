"""Scoring the pipeline on the sample against the hand-written expectations (shared by the golden test
and the benchmark's report)."""

import difflib
import json
from decimal import Decimal
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "province-b-annual-summary.txt"
EXPECTED = FIXTURES / "province-b-annual-summary.expected.txt"
GOLDEN_FACTS = FIXTURES / "province-b-annual-summary.facts.json"


def text_match_ratio(produced: str, expected: str) -> float:
    """Share of characters matching (difflib's ratio: 2 × matches / total length)."""
    return difflib.SequenceMatcher(None, produced, expected, autojunk=False).ratio()


def fact_matches(golden: dict, fact) -> bool:
    if golden["kind"] != fact.kind or golden["unit"] != fact.unit:
        return False
    if Decimal(golden["value"]) != Decimal(str(fact.value)):
        return False
    if golden.get("qualifier", "") and golden["qualifier"] != fact.qualifier:
        return False
    if golden.get("period") and golden["period"] != fact.period:
        return False
    return golden["subject"] in fact.subject or fact.subject in golden["subject"] and len(fact.subject) >= 2


def score_facts(facts) -> tuple[int, int, list[dict], list]:
    """(found, golden total, missed golden facts, extra facts) — each extracted fact matches one golden."""
    golden = json.loads(GOLDEN_FACTS.read_text(encoding="utf-8"))
    unused = list(facts)
    missed = []
    for g in golden:
        hit = next((f for f in unused if fact_matches(g, f)), None)
        if hit is None:
            missed.append(g)
        else:
            unused.remove(hit)
    return len(golden) - len(missed), len(golden), missed, unused
