"""Scoring repair and extraction on the project's corpus (benchmarks/ingest/corpus/): shared by
corpus_bench.py and tests/test_ingest_corpus.py.

- `load_corpus(split)`: the documents (clean text + facts key) of `dev`, `dev2`, `dev3`, `dev4`, `dev5`, `dev6`, `dev7`, `dev8`, `dev9`, `dev10`, `dev11`, `dev12`, `dev13`, `dev14`, `dev15`, `dev16`, `dev17`, `dev18`, `dev19`, `dev20`, `dev21`, `dev22`, `dev23`, `dev24`, `dev25`, `dev26`, `dev27`, `dev28`, `dev29`, `dev30`, `dev31`, `dev32`, `dev33`, `dev34`, `dev35`, `dev36`, `dev37`, `dev38`, `dev39`, `dev40`, `dev41`, `dev42`, `dev43`, `dev44` or `heldout`.
- `damage(doc, seed, commas)`: the document put through the forward model (forward.py).
- `naive(text)`: the issue's naive pipeline - strip parenthesised pinyin, drop a comma standing before a
  punctuation mark, OpenCC t2s.
- `char_accuracy(produced, reference)`: 1 - edit distance / reference length, on NFKC text without
  white space, the pipeline's markers (〔缺失N字〕, 〔隐去〕) taken out and 〔存疑：x〕 read as x.
- `score_facts(facts, key_facts, region)`: recall and precision against the key (a key fact is found when an
  extracted fact has the same value, unit and period, amounts in yuan, and is linked to the same region:
  the key's `place` or the report's own); key facts whose figure the page lost (cut by a notice,
  redacted) are not counted.
- `leftover_damage(text)`: reading aids, broken-byte `?`/U+FFFD, commas before punctuation and garbled runs
  (`garbled_spans`: the signatures a GBK misdecode leaves) still in a repaired text (outside 〔存疑：…〕 markers).
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
ROOT = HERE.parents[1]


def _load(name: str, path: Path):
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


forward = _load("kechuang_bench_forward", HERE / "forward.py")
build_corpus = _load("kechuang_bench_build_corpus", CORPUS / "build_corpus.py")


@dataclass
class Doc:
    id: str
    split: str
    text: str
    key: dict

    @property
    def year(self) -> int:
        return self.key["year"]

    @property
    def places(self) -> list[str]:
        return self.key.get("places", [])


def load_corpus(split: str) -> list[Doc]:
    docs = []
    for path in sorted((CORPUS / split).glob("*.txt")):
        key = json.loads(path.with_suffix(".facts.json").read_text(encoding="utf-8"))
        docs.append(Doc(key["id"], split, path.read_text(encoding="utf-8"), key))
    return docs


def damage(doc: Doc, seed: int, commas: bool, **overrides):
    return forward.corrupt(
        doc.text, seed, commas=commas, places=doc.places, title=doc.key["title"], **overrides
    )


# ----------------------------------------------------------------------------- the naive pipeline

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
_AID = re.compile(rf"[(（][a-z{_TONED}]{{1,7}}[)）]")
_COMMA_BEFORE = re.compile(r"[,，](?=[、。；;”：:，,])")


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def naive(text: str) -> str:
    """The issue's naive pipeline: strip parenthesised pinyin, drop a comma before a punctuation mark,
    OpenCC t2s."""
    text = _AID.sub("", text)
    text = _COMMA_BEFORE.sub("", text)
    return _t2s().convert(text)


# ----------------------------------------------------------------------------- characters

_MARKERS = re.compile(r"〔(?:缺失\d*字?|隐去)〕")
_UNCERTAIN = re.compile(r"〔存疑：([^〕]*)〕")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    text = _UNCERTAIN.sub(r"\1", text)
    text = _MARKERS.sub("", text)
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def char_accuracy(produced: str, reference: str) -> float:
    from rapidfuzz.distance import Levenshtein

    a, b = normalise(produced), normalise(reference)
    return 1 - Levenshtein.distance(a, b) / max(1, len(b))


def leftover_damage(text: str) -> dict[str, int]:
    """What a repaired text should no longer hold, outside the spans it marks uncertain."""
    outside = _UNCERTAIN.sub("", text)
    han = "\u4e00-\u9fff"
    return {
        "reading_aid": len(re.findall(rf"(?<=[{han}])[(（][a-z{_TONED}]{{1,7}}[)）]", outside)),
        "broken_byte": len(
            re.findall(r"\ufffd|(?<=[\u4e00-\u9fff])\?|\?(?=[a-z{_TONED}]{{1,7}}\))", outside)
        ),
        "comma_before_punct": len(_COMMA_BEFORE.findall(outside)),
        "garbled": len(garbled_spans(outside)),
    }


# What a GBK misdecode leaves besides lost bytes and aids, in a repaired text (issue #15.3): the corpus's
# clean texts hold none of these (tests/test_ingest_corpus.py checks it)
_JOINT = "\u4e00-\u9fff，。、；：！？“”"
_GARBLED = re.compile(
    rf"(?<=[{_JOINT}])[!;:?](?=[{_JOINT}])"  # an ASCII mark inside Chinese text: 正！!绷硗
    r"|(?<=[，。、；：！？])[？?]"  # a question mark right after a mark: 11.0%。？基础
    r"|[？?](?=[A-Za-zＡ-Ｚａ-ｚ][\u4e00-\u9fff])"  # a question mark glued to a letter: 评估？F将
    rf"|(?<=[{_JOINT}])[Ａ-Ｚａ-ｚ]|[Ａ-Ｚａ-ｚ](?=[{_JOINT}])"  # a full-width letter in Chinese text: 南：Ｓ蚩
    r"|(?P<q>(?<=[\u4e00-\u9fff])？)"  # a question mark in a sentence that asks nothing: 规模？合计
    # (a `?` after Chinese text is a broken byte, counted as such)
)
_ASKS = re.compile(
    r"什么|怎|哪|吗|呢|多少|多[长大久高远]|几|是否|谁|何|难道|有没有|能否|可否|吧|么|啊|否|不是|([一-鿿])[不没]\1"
)


def garbled_spans(text: str) -> list[str]:
    """The misdecode signatures `_GARBLED` finds in `text`, each with a few characters around it; a `？`
    after Chinese text counts only when its sentence (back to the last 。！？；or line end) holds no
    question word."""
    out = []
    for m in _GARBLED.finditer(text):
        if m.group("q"):
            start = max(text.rfind(c, 0, m.start()) for c in "。！？!?；;\n") + 1
            if _ASKS.search(text, start, m.start()):
                continue
        out.append(text[max(0, m.start() - 4) : m.end() + 4])
    return out


# ----------------------------------------------------------------------------- facts

UNIT_ALIASES = {"个百分点": "百分点", "℃": "摄氏度", "°C": "摄氏度"}


def _value(v) -> Decimal | str:
    try:
        return Decimal(str(v)).normalize()
    except InvalidOperation:
        return str(v)


def _unit(unit: str) -> str:
    unit = unicodedata.normalize("NFKC", unit or "").replace("(", "").replace(")", "")
    return UNIT_ALIASES.get(unit, unit)


def fact_key(value, unit: str, period: str) -> tuple:
    """What matching compares: value (Decimal; dates as text), unit (NFKC, parentheses dropped - 台（套）
    is 台套 -, aliases folded), period."""
    return _value(value), _unit(unit), str(period or "")


def countable(doc: Doc, damaged) -> list[dict]:
    """The key's facts whose figure the damaged page still holds (not cut by a notice, not redacted)."""
    out = []
    for f in doc.key["facts"]:
        s = f["offset"]
        if not any(a < s + len(f["figure"]) and s < b for a, b in damaged.lost):
            out.append(f)
    return out


@dataclass
class FactScore:
    key: int
    extracted: int
    found: int
    missed: list
    extra: list

    @property
    def recall(self) -> float:
        return self.found / self.key if self.key else 1.0

    @property
    def precision(self) -> float:
        return self.found / self.extracted if self.extracted else 1.0

    @property
    def extra_share(self) -> float:
        return len(self.extra) / self.extracted if self.extracted else 0.0


def fact_place(place: str, region: str) -> str:
    """The region a fact is linked to, as matching compares it: "" for the report's own (no place, or the
    report's region named), else the other region(s) named (岱沄省; 岱沄省、翡岭省)."""
    return "" if not place or place == region else place


def score_facts(facts, key_facts: list[dict], region: str = "") -> FactScore:
    """Each key fact is matched to at most one extracted fact with the same value, unit and period, linked
    to the same region: the key's `place` (another region the fact is about) or, without one, the report's
    own (`region`); an extracted fact's `place` the same way. A fact linked to the wrong region is a miss
    and an extra."""
    pool: dict[tuple, list] = {}
    for f in facts:
        k = (*fact_key(f.value, f.unit, f.period), fact_place(getattr(f, "place", ""), region))
        pool.setdefault(k, []).append(f)
    found, missed = 0, []
    for g in key_facts:
        hits = pool.get(
            (*fact_key(g["value"], g["unit"], g["period"]), fact_place(g.get("place", ""), region))
        )
        if hits:
            hits.pop()
            found += 1
        else:
            missed.append(g)
    extra = [f for hits in pool.values() for f in hits]
    return FactScore(len(key_facts), len(facts), found, missed, extra)


def foreign_mislinks(text: str, key: dict) -> int:
    """Mentions in `text` linked to the report's own department (a registry holding only it: its name and
    short names, e.g. 岚江省科学技术厅 / 省科技厅) that stand inside the name of another province's unit
    (东黎省科技厅): issue #15 - a unit of another province is never matched to this department's own."""
    from kechuang.ingest.parsers.entities import find_mentions

    own = key.get("own_units") or []
    others = key.get("other_units") or []
    if not own or not others:
        return 0
    spans = [(m.start(), m.end()) for u in others for m in re.finditer(re.escape(u), text)]
    registry = {"unit": [(1, own[0], tuple(own[1:]))]}
    return sum(
        1
        for m in find_mentions(text, registry)
        if m.target_id == 1 and any(s <= m.start < e for s, e in spans)
    )


def extract(text: str, year: int, result=None):
    from kechuang.ingest import parsers

    return parsers.extract_facts(text, year=year, result=result)


def django_setup() -> None:
    import os

    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kechuang.settings.test")
    import django

    django.setup()
