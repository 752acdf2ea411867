"""Issue #15 item 4 on the dev split of the project's corpus (never the held-out split): every form of
fact the issue lists occurs in the dev keys, and each key fact of that form is extracted from its clean
dev text at its own place with value, unit and period right (amounts in yuan).

A form is found by what the key says (its figure as written, its unit, its kind), so a form the dev keys
lack fails here instead of passing by having nothing to check.
"""

import importlib.util
import re
import sys
from pathlib import Path

import pytest

from kechuang.ingest.parsers import extract_facts

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "ingest"


def _corpus_eval():
    name = "kechuang_bench_corpus_eval"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, BENCH / "corpus_eval.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


ce = _corpus_eval()
_CN = re.compile(r"[一二两三四五六七八九十百千]")

# form -> does a key fact have it (from the key's figure, unit and kind)
FORMS = {
    "a number in Chinese words (分三批, 五大领域, 超过七成, 突破千亿元)": lambda g: (
        g["kind"] in ("count", "percent", "money", "target")
        and _CN.search(g["figure"]) is not None
        and not re.search(r"\d", g["figure"])
    ),
    "a 万- or 亿-scaled count (3.6万项)": lambda g: (
        g["kind"] == "count" and re.search(r"\d[万亿]", g["figure"])
    ),
    "percentage points": lambda g: g["unit"] == "百分点",
    "measure word 场": lambda g: g["unit"] == "场",
    "measure word 场次": lambda g: g["unit"] == "场次",
    "measure word 批次": lambda g: g["unit"] == "批次",
    "unit 摄氏度": lambda g: g["unit"] in ("摄氏度", "℃"),
    "unit 小时": lambda g: g["unit"] == "小时",
    "unit 瓦时/千克": lambda g: g["unit"] == "瓦时/千克",
    "unit 弧分": lambda g: g["unit"] == "弧分",
    "a technology readiness level": lambda g: g["unit"] == "级",
    "a target with its own year": lambda g: g["kind"] == "target",
    "an amount in 万元 or 亿元, stored in yuan": lambda g: (
        g["unit"] == "元" and re.search(r"[万亿]元", g["figure"])
    ),
}


def _dev_facts():
    out = []
    for doc in ce.load_corpus("dev"):
        for g in doc.key["facts"]:
            out.append((doc, g))
    return out


DEV = _dev_facts()
_EXTRACTED: dict[str, list] = {}


def _extracted(doc):
    if doc.id not in _EXTRACTED:
        _EXTRACTED[doc.id] = extract_facts(doc.text, year=doc.year)
    return _EXTRACTED[doc.id]


def _found_at_its_place(doc, g) -> bool:
    """An extracted fact over the key's figure with the key's value, unit and period."""
    s, e = g["offset"], g["offset"] + len(g["figure"])
    want = ce.fact_key(g["value"], g["unit"], g["period"])
    return any(
        f.start < e and s < f.end and ce.fact_key(f.value, f.unit, f.period) == want for f in _extracted(doc)
    )


@pytest.mark.parametrize("form", list(FORMS))
def test_every_form_of_item_4_is_in_the_dev_keys_and_found_at_its_place(form):
    cases = [(doc, g) for doc, g in DEV if FORMS[form](g)]
    assert cases, f"the dev keys have no fact of the form {form}"
    missed = [
        (doc.id, g["figure"], g["value"], g["unit"], g["period"])
        for doc, g in cases
        if not _found_at_its_place(doc, g)
    ]
    assert not missed, missed


def test_a_rank_movement_gives_both_ranks_in_the_dev_keys():
    """由上年的第19位升至第15位: the key holds both ranks of a movement (the first the year before), and both
    are extracted."""
    movements = [
        (doc, g)
        for doc, g in DEV
        if g["kind"] == "rank"
        and re.search(
            r"由[^，。；]{0,8}第[\d一二三四五六七八九十]+[位名][^，。；]{0,4}(?:升|降|提升|前移|后移)",
            g["quote"],
        )
    ]
    assert len(movements) >= 2
    by_quote: dict[tuple, list] = {}
    for doc, g in movements:
        by_quote.setdefault((doc.id, g["quote"]), []).append(g)
    for (doc_id, _quote), ranks in by_quote.items():
        doc = next(d for d, _g in movements if d.id == doc_id)
        assert len(ranks) == 2, ranks
        # the first is of an earlier year (the year before, or the year the sentence says: 由2020年的第4位)
        assert int(ranks[0]["period"]) < int(ranks[1]["period"])
        assert all(_found_at_its_place(doc, g) for g in ranks)
