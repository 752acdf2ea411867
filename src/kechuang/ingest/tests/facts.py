"""The facts a sentence is read as, in the shapes the fact-form tests compare (test_fact_forms*.py, the dev splits'
forms, tests/test_ingest_fact_forms*.py): one place for what each of those files had defined for itself."""

from kechuang.ingest.parsers import extract_facts


def read(text: str, year: int = 2025) -> set[tuple]:
    """(kind, value, unit, period) of every fact read."""
    return {(f.kind, str(f.value), f.unit, f.period) for f in extract_facts(text, year=year)}


def placed(text: str, year: int = 2025) -> set[tuple]:
    """(value, unit, period, place) of every fact read."""
    return {(str(f.value), f.unit, f.period, f.place) for f in extract_facts(text, year=year)}


def values(text: str, year: int = 2025) -> set[tuple]:
    """(value, unit, period) of every fact read."""
    return {(str(f.value), f.unit, f.period) for f in extract_facts(text, year=year)}
