"""gbk.own_rare reads only the stretches of a page that may hold a GB2312 level-2 character (issue #15,
speed): the same answers as converting the whole page (the definition before, kept here as `_whole_page`)
on the corpus pages, clean and damaged, and on generated texts; and the facts about OpenCC's dictionaries
it relies on, read from the dictionaries themselves."""

import importlib.util
import subprocess
import sys
from collections import Counter
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.ingest.parsers import gbk
from kechuang.ingest.parsers.lexicon import _t2s

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks" / "ingest"


def _whole_page(text: str) -> frozenset[str]:
    """own_rare as 414fa26 defined it: the whole page without aids, converted."""
    text = _t2s().convert(gbk._PAGE_AID.sub("", text))
    counts = Counter(gbk._level2_re().findall(text))
    out = set()
    for ch, n in counts.items():
        if n < 2:
            continue
        pairs = Counter()
        for i in gbk._positions(text, ch):
            pairs[text[i : i + 2]] += 1
            pairs[text[max(0, i - 1) : i + 1]] += 1
        if pairs.most_common(1)[0][1] >= 2:
            out.add(ch)
    return frozenset(out)


def _corpus_eval():
    name = "kechuang_bench_corpus_eval"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, BENCH / "corpus_eval.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def test_own_rare_same_as_whole_page_on_the_corpus():
    ce = _corpus_eval()
    pages = [p.read_text(encoding="utf-8") for p in sorted((BENCH / "corpus" / "train").glob("*.txt"))]
    found = 0
    for split in ("dev", "dev2"):
        for doc in ce.load_corpus(split):
            pages.append(doc.text)
            for seed in (1, 2, 3):
                pages.append(ce.damage(doc, seed, commas=None).text)
    for page in pages:
        expected = _whole_page(page)
        found += bool(expected)
        assert gbk.own_rare(page) == expected
    assert found  # the corpus has pages with their own rare names


_PIECES = st.sampled_from(
    list("鹭屿岚江芷阳栎川钟锺鍾錢钱书書嵐鷺嶼余餘么麼瀋沈逕迳鉅钜的是在了")
    + [
        "錢鍾書",
        "情有獨鍾",
        "老態龍鍾",
        "(lù)",
        "（yǔ）",
        "(lán)",
        "\n",
        "。",
        "，",
        ",",
        "！",
        "；",
        "?",
        " ",
        "𠀋",
        "凵",
        "\uf90a",
        "\ufa6c",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=60))
def test_own_rare_same_as_whole_page_on_generated_text(pieces):
    text = "".join(pieces)
    assert gbk.own_rare(text) == _whole_page(text)
    assert gbk.own_rare(text * 2) == _whole_page(text * 2)


def _dictionaries():
    base = Path(opencc.__file__).parent / "clib"
    tool = base / "bin" / "opencc_dict"
    if not tool.exists():  # pragma: no cover - the wheel ships it
        pytest.skip("opencc_dict not installed")
    entries = []
    for name in ("CJK_Compatibility_Ideographs", "TSPhrases", "TSCharactersExt", "TSCharacters"):
        out = subprocess.run(
            [
                str(tool),
                "-i",
                str(base / "share/opencc" / f"{name}.ocd2"),
                "-o",
                "/dev/stdout",
                "-f",
                "ocd2",
                "-t",
                "text",
            ],
            check=True,
            capture_output=True,
            env={"LD_LIBRARY_PATH": str(base / "lib64")},
        ).stdout.decode("utf-8")
        for line in out.splitlines():
            key, values = line.split("\t")
            entries.append((name, key, values))
    assert len(entries) > 5000
    return entries


def test_own_rare_sources_cover_opencc_dictionaries():
    """No key of t2s's dictionaries holds a separator; every entry that can write a level-2 character has
    a key character `_rare_source_re` finds (and a compatibility ideograph normalized into one is found)."""
    source, level2 = gbk._rare_source_re().search, gbk._level2_re().search
    separators = gbk._RARE_SEP.pattern[2:-2].replace("\\n", "\n")
    entries = _dictionaries()
    for name, key, values in entries:
        assert not any(sep in key for sep in separators), (name, key)
        if level2(values) or (name == "CJK_Compatibility_Ideographs" and source(values)):
            assert source(key), (name, key, values)
