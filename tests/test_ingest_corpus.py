"""The project's corpus (benchmarks/ingest/corpus/), the forward model of the damage (forward.py) and
the issue #15 thresholds on a fixed slice of the corpus.

The facts, never-below-naive and nothing-silent thresholds pass and are asserted; the character
accuracy threshold (>= 99.8% on every run) is not met and is marked xfail (strict: the mark goes when it
passes) with the measured figures in its reason. Figures: docs/ingest.md.
"""

import importlib.util
import re
import sys
from pathlib import Path

import pytest

from kechuang.ingest.tests.marks import as_read

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks" / "ingest"


def _corpus_eval():
    name = "kechuang_bench_corpus_eval"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, BENCH / "corpus_eval.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


ce = _corpus_eval()
forward = ce.forward

# issue #15, items 3 and 4
MIN_CHAR_ACCURACY = 0.998  # per document, per seed, with and without comma insertion
MIN_FACT_RECALL = 0.95
MAX_EXTRA_SHARE = 0.05
# the CI slice: a few documents of each split x seeds x (with, without commas); failures name held-out
# documents by id and figures only
SLICE_DOCS = ("dev-01", "dev-05", "dev-12", "heldout-01", "heldout-10", "heldout-15", "heldout-23")
SLICE_SEEDS = (0, 1, 2)

SAMPLE_EXPECTED = ROOT / "src/kechuang/ingest/tests/fixtures/province-b-annual-summary.expected.txt"


def _sample_clean() -> str:
    """The sample report's clean text (its expected repair, with the redacted names put back and the
    gap markers taken out)."""
    text = as_read(
        SAMPLE_EXPECTED.read_text(encoding="utf-8")
    )  # (the repair's guess marks read as they hold)
    for redacted, name in (("重要〔隐去〕机制", "重要体制机制"), ("〔隐去〕、白银", "兰州、白银")):
        text = text.replace(redacted, name)
    text = text.replace("〔隐去〕新材料", "金昌新材料").replace("〔隐去〕新能源", "酒泉新能源")
    text = text.replace("〔隐去〕", "甘肃")
    return re.sub(r"〔缺失\d+字〕\n?", "", text)


# ----------------------------------------------------------------------------- the corpus and its keys


def test_corpus_has_both_splits_and_no_document_in_both():
    dev, heldout = ce.load_corpus("dev"), ce.load_corpus("heldout")
    assert len(dev) >= 12
    assert len(heldout) >= 24
    assert {d.id for d in dev}.isdisjoint({d.id for d in heldout})
    assert {d.text for d in dev}.isdisjoint({d.text for d in heldout})
    for doc in dev + heldout:
        assert doc.id.startswith(doc.split + "-"), doc.id


def test_every_facts_key_is_sound_and_built_from_its_source():
    for doc in ce.load_corpus("dev") + ce.load_corpus("heldout"):
        assert ce.build_corpus.check_key(doc.key, doc.text) == [], doc.id
        assert doc.key["facts"], doc.id
    assert ce.build_corpus.build(check_only=True) == 0


def _bench_module(name: str, path: Path):
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def test_the_train_split_and_the_character_model_data_are_what_their_builders_make():
    """The train split (generated, no keys) is distinct from dev and held-out, and the app's character
    counts are those of the train split (build_charlm.py reads nothing else)."""
    corpus = BENCH / "corpus"
    build_train = _bench_module("kechuang_bench_build_train", corpus / "build_train.py")
    build_charlm = _bench_module("kechuang_bench_build_charlm", corpus / "build_charlm.py")
    assert build_train.main(["--check"]) == 0
    assert build_charlm.main(["--check"]) == 0
    train = {p.read_text(encoding="utf-8") for p in (corpus / "train").glob("*.txt")}
    assert len(train) >= 100
    others = {d.text for d in ce.load_corpus("dev") + ce.load_corpus("heldout")}
    assert train.isdisjoint(others)


def test_the_character_model_prefers_the_genres_words_where_the_dictionary_cannot_tell():
    from kechuang.ingest.parsers import charlm

    for right, wrong in (
        ("揭榜挂帅", "揭发挂帅"),
        ("取得一批", "取得一举"),
        ("关键技术", "关见技术"),
        ("截至", "止至"),
    ):
        assert charlm.score(right) > charlm.score(wrong), (right, wrong)
    # traditional forms read as their simplified ones; an unknown character costs, never raises
    assert charlm.score("關鍵") == charlm.score("关键")
    assert charlm.score("关\U0001f600") < charlm.score("关键")


def test_the_builder_names_held_out_documents_by_id_and_counts_only(monkeypatch, capsys):
    """Whoever tunes the pipeline must not read held-out text: the builder's warnings about a held-out
    document (problems in its key, numbers left without a fact) show no snippet of it."""
    bc = ce.build_corpus
    monkeypatch.setattr(bc, "leftovers", lambda text, facts: ["SNIPPET-" + text[:12]])
    monkeypatch.setattr(bc, "check_key", lambda key, text: ["PROBLEM-" + text[:12]])
    bc.build(check_only=True)
    out = capsys.readouterr().out.splitlines()
    held = [line for line in out if line.startswith("heldout/")]
    assert held and all(re.fullmatch(r"heldout/heldout-\d+: [^…]*", line) for line in held), held[:3]
    assert not any("SNIPPET" in line or "PROBLEM-" in line for line in held)
    assert any(line.startswith("dev/") and "SNIPPET" in line for line in out)


def test_the_leftover_check_names_chinese_numerals_before_duo_yu_lai():
    """Numbers in words before 多, 余 or 来 (六千多万, 三十余项, 一百六十来个) are numbers a key fact must cover."""
    left = ce.build_corpus.leftovers
    for text, number in (
        ("榜单总金额六千多万。", "六千"),
        ("发布三十余项榜单。", "三十"),
        ("有一百六十来个团队。", "一百六十"),
    ):
        assert len(left(text, [])) == 1 and number in left(text, [])[0], text
        covered = [
            {"offset": text.index(number), "figure": number + text[text.index(number) + len(number) :][:2]}
        ]
        assert left(text, covered) == [], text
    assert left("一来节约成本，二来方便管理。", []) == []


def test_the_key_checker_catches_a_wrong_value_a_wrong_quote_and_a_wrong_unit():
    doc = ce.load_corpus("dev")[0]
    fact = next(f for f in doc.key["facts"] if f["figure"].endswith("万项"))
    assert fact["value"] == str(int(float(fact["figure"][:-2]) * 10000))
    for change in ({"value": "36"}, {"quote": fact["quote"] + "（虚构）"}, {"unit": "件"}):
        key = {**doc.key, "facts": [{**fact, **change}]}
        assert ce.build_corpus.check_key(key, doc.text), change


def test_reading_figures():
    read = ce.build_corpus.read_figure
    assert read("3.6万项", 2023) == ("36000", "项", "")
    assert read("1.5万余次", 2023) == ("15000", "次", "余")
    assert read("4.2亿元", 2023) == ("420000000", "元", "")
    assert read("千亿元", 2023) == ("100000000000", "元", "")
    assert read("七成", 2023) == ("70", "%", "")
    assert read("0.26个百分点", 2023) == ("0.26", "百分点", "")
    assert read("第19位", 2023) == ("19", "位", "")
    assert read("三批", 2023) == ("3", "批", "")
    assert read("5月24日", 2021) == ("2021-05-24", "date", "")
    assert read("160瓦时/千克", 2023) == ("160", "瓦时/千克", "")


# ----------------------------------------------------------------------------- the forward model


def test_forward_model_is_deterministic_per_seed():
    clean = _sample_clean()
    a = forward.corrupt(clean, 3, places=["甘肃"])
    b = forward.corrupt(clean, 3, places=["甘肃"])
    c = forward.corrupt(clean, 4, places=["甘肃"])
    assert (a.text, a.reference, a.kinds) == (b.text, b.reference, b.kinds)
    assert a.text != c.text


def test_forward_model_produces_every_kind_of_damage_the_sample_shows():
    clean = _sample_clean()
    seen = set()
    for seed in range(16):
        d = forward.corrupt(clean, seed, commas=bool(seed % 2), places=["甘肃", "兰州"])
        seen |= set(d.kinds)
        t = re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", "", d.text)  # the aids taken out
        # what each counted kind looks like in the page
        if d.kinds["reading_aid"]:
            assert re.search(r"[\u4e00-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", d.text)
        if d.kinds["redaction_place"]:
            assert "**" in t
        if d.kinds["notice_omitted"]:
            assert re.search(r"……\(新文[秘祕]網http://m\.120pk\.cn省略\d+字[,，]+正式會員可完整閱讀\)……", t)
        if d.kinds["notice_unfinished"]:
            assert re.search(r"\(未完[,，]+全文共\d+字[,，]+當前僅顯示\d+字", t)
            assert "收藏《" in t
        if d.params["ascii_marks"]:
            assert re.search(r"[\u4e00-\u9fff],[\u4e00-\u9fff]", t)
        if d.kinds["comma"]:
            assert re.search(r"[,，][、。；”：，,;:]", t)
        assert ce.normalise(d.reference) != ce.normalise(t)
    # a comma landing inside a character needs a mark's bytes to straddle two characters (e.g. 。和 holds
    # the bytes of ：): the sample text gives few chances; the corpus test below sees it
    assert seen >= set(forward.KINDS) - {"comma_inside_char"}, set(forward.KINDS) - seen


def test_forward_model_produces_every_kind_of_damage_on_the_dev_corpus():
    seen = set()
    for doc in ce.load_corpus("dev"):
        for seed in range(3):
            seen |= set(ce.damage(doc, seed, True).kinds)
    assert seen >= set(forward.KINDS), set(forward.KINDS) - seen


def test_forward_model_reproduces_the_samples_own_misdecoded_span():
    """The sample's `新高!靶⌒突仉x子`: the site replaced the full-width ！ (A3 A1) by `!` in the bytes of
    。“ (A1 A3 A1 B0); the orphaned A1 is dropped, the decoder runs out of step until the x of 離 (EB 78)."""
    clean = _sample_clean()
    d = forward.corrupt(
        clean,
        0,
        commas=False,
        ascii_marks=True,
        decoder="drop",
        s2t_config="s2tw",
        trad_share=1.0,
        aid_count=0,
        straddle_per_kb=0,
        omit=False,
        truncate=False,
        line_breaks=0,
    )
    assert "新高!靶⌒突仉x子" in d.text
    assert d.kinds["mark_inside_char"] >= 1


def test_an_aid_inside_a_character_with_a_question_mark_decoder_reads_like_the_issue():
    """`?guī)熘`: the orphaned lead byte and the aid's `(` become one `?`, then the decoder is out of step."""
    found = False
    for seed in range(20):
        d = forward.corrupt(_sample_clean(), seed, decoder="qmark")
        if d.kinds["aid_inside_char"]:
            assert re.search(r"\?[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", d.text)
            found = True
    assert found


NO_DAMAGE = dict(
    trad_share=0.0,
    aid_count=0,
    straddle_per_kb=0,
    ascii_marks=False,
    omit=False,
    truncate=False,
    redact_places=False,
    redact_word=False,
    line_breaks=0,
)


def test_with_every_kind_of_damage_off_the_page_is_the_clean_text():
    doc = ce.load_corpus("dev")[0]
    d = forward.corrupt(doc.text, 2, commas=False, places=doc.places, **NO_DAMAGE)
    assert d.text == doc.text == d.reference
    assert not d.kinds and not d.lost
    assert ce.char_accuracy(d.text, d.reference) == 1.0


def test_facts_the_page_lost_are_not_counted():
    doc = ce.load_corpus("dev")[0]
    d = forward.corrupt(doc.text, 2, commas=False, places=doc.places, **{**NO_DAMAGE, "truncate": True})
    assert d.kinds["notice_unfinished"] == 1 and len(d.lost) == 1
    start, end = d.lost[0]
    kept = ce.countable(doc, d)
    assert 0 < len(kept) < len(doc.key["facts"])
    assert all(f["offset"] + len(f["figure"]) <= start for f in kept)
    assert d.reference.startswith(doc.text[:start]) and "〔缺失" in d.reference


def test_site_decoders():
    data = "高。".encode("gbk")[:3] + b"(x)"  # 高 + an orphaned lead byte + ASCII
    assert forward.site_decode(data, "drop") == "高(x)"
    assert forward.site_decode(data, "replace") == "高\ufffd(x)"
    assert forward.site_decode(data, "qmark") == "高?x)"


def test_word_dependent_traditional_forms():
    d = forward.corrupt(
        "这标志着我省科技创新迈上新台阶。\n" * 3, 1, s2t_config="s2tw", trad_share=1.0, straddle_per_kb=0
    )
    assert "標誌著" in re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", "", d.text)


# ----------------------------------------------------------------------------- the scoring helpers


def test_foreign_mislinks_counts_another_provinces_unit_taken_for_this_department(monkeypatch):
    from kechuang.ingest.parsers import entities

    text = "与东黎省科技厅签署协议，省科技厅负责实施。"
    key = {"own_units": ["岚江省科学技术厅", "省科技厅"], "other_units": ["东黎省科技厅"]}
    inside = entities.Mention("unit", "省科技厅", 3, 7, 1, "岚江省科学技术厅", 100.0)
    own = entities.Mention("unit", "省科技厅", 12, 16, 1, "岚江省科学技术厅", 100.0)
    apart = entities.Mention("unit", "东黎省科技厅", 1, 7, None, "", 0.0)
    monkeypatch.setattr(entities, "find_mentions", lambda t, registry: [inside, own])
    assert ce.foreign_mislinks(text, key) == 1
    monkeypatch.setattr(entities, "find_mentions", lambda t, registry: [apart, own])
    assert ce.foreign_mislinks(text, key) == 0
    assert ce.foreign_mislinks(text, {**key, "other_units": []}) == 0


def test_naive_pipeline_and_scoring():
    assert ce.naive("開(kāi)發，、研究(yán jiū)工程(技术)") == "开发、研究(yán jiū)工程(技术)"
    assert ce.char_accuracy("科技〔隐去〕厅〔缺失12字〕", "科技厅") == 1.0
    assert ce.char_accuracy("科技 〔存疑：厅〕", "科技厅") == 1.0
    assert ce.char_accuracy("科技厂", "科技厅") == pytest.approx(2 / 3)
    left = ce.leftover_damage("開(kāi)發，、研?guī)熘〔存疑：?〕")
    assert left == {"reading_aid": 1, "broken_byte": 1, "comma_before_punct": 1, "garbled": 0}


@pytest.mark.parametrize(
    "text",
    [
        "设备运行正！!绷硗，项目组",  # an ASCII mark inside Chinese text
        "增长11.0%。？基础研究",  # a question mark right after a mark
        "开展了绩效评估？F将结果通报如下",  # a question mark glued to a Latin letter
        "在南：Ｓ蚩沟暮灾",  # a full-width Latin letter
        "装机规模？合计460兆瓦",  # a question mark in a sentence that asks nothing
    ],
)
def test_leftover_damage_counts_garbled_runs(text):
    assert ce.leftover_damage(text)["garbled"] >= 1
    assert ce.leftover_damage(f"〔存疑：{text}〕")["garbled"] == 0


def test_garbled_runs_are_never_found_in_the_clean_texts():
    """No false alarm: the corpus's clean texts (every split, questions and A类/E级 included) hold none."""
    flagged = {
        path.name: ce.garbled_spans(path.read_text(encoding="utf-8"))
        for path in sorted(ce.CORPUS.glob("*/*.txt"))
    }
    assert len(flagged) > 400
    assert not {k: v for k, v in flagged.items() if v}


# ----------------------------------------------------------------------------- the thresholds


def _slice_runs():
    from kechuang.ingest import parsers

    docs = {d.id: d for d in ce.load_corpus("dev") + ce.load_corpus("heldout")}
    for doc_id in SLICE_DOCS:
        doc = docs[doc_id]
        for seed in SLICE_SEEDS:
            for commas in (False, True):
                d = ce.damage(doc, seed, commas)
                result = parsers.repair(d.text)
                yield doc, seed, commas, d, result


def test_no_run_of_the_ci_slice_leaves_damage_while_it_says_0_uncertain():
    """Issue #15.3: a repaired text that still holds a reading aid, a broken-byte `?`, a comma before
    punctuation or a garbled run (`ce.garbled_spans`) must say so on the page (uncertain spans > 0)."""
    failures = []
    for doc, seed, commas, _d, result in _slice_runs():
        left = {k: v for k, v in ce.leftover_damage(result.text).items() if v}
        if left and result.uncertain_count == 0:
            failures.append(f"{doc.id} seed {seed} commas {commas}: 0 uncertain but still holds {left}")
    assert not failures, "\n".join(failures)


def test_no_run_of_the_ci_slice_leaves_damage_outside_a_marked_span():
    """Stricter than the page's count: every lost byte, stray aid or comma before punctuation left in the
    text stands inside a `〔存疑：…〕` span (the `leftover` step), whatever else was marked."""
    failures = []
    for doc, seed, commas, _d, result in _slice_runs():
        left = {k: v for k, v in ce.leftover_damage(result.text).items() if v}
        if left:
            failures.append(f"{doc.id} seed {seed} commas {commas}: unmarked {left}")
    assert not failures, "\n".join(failures)


def test_a_leftover_with_0_uncertain_is_caught():
    """The check above can fail: a text with an aid left and nothing marked is reported."""
    left = ce.leftover_damage("研究開(kāi)發，。")
    assert left["reading_aid"] == 1 and left["comma_before_punct"] == 1


def test_issue_15_facts_never_below_naive_and_nothing_silent_on_the_ci_slice():
    """Issue #15 items 3 (never below the naive pipeline, damage never left while the page says 0) and 4
    (facts recall >= 95 %, extra facts <= 5 %, another province's unit never linked to this department)."""
    failures = []
    found = key_total = extracted = extra = 0
    for doc, seed, commas, d, result in _slice_runs():
        where = f"{doc.id} seed {seed} commas {commas}"
        acc = ce.char_accuracy(result.text, d.reference)
        acc_naive = ce.char_accuracy(ce.naive(d.text), d.reference)
        if acc < acc_naive:
            failures.append(f"{where}: worse than naive ({acc:.4f} < {acc_naive:.4f})")
        left = {k: v for k, v in ce.leftover_damage(result.text).items() if v}
        if left and result.uncertain_count == 0:
            failures.append(f"{where}: 0 uncertain but still holds {left}")
        mislinked = ce.foreign_mislinks(result.text, doc.key)
        if mislinked:
            failures.append(
                f"{where}: {mislinked} mention(s) of another province's unit linked to this department"
            )
        score = ce.score_facts(
            ce.extract(result.text, doc.year, result), ce.countable(doc, d), doc.key["region"]
        )
        found, key_total = found + score.found, key_total + score.key
        extracted, extra = extracted + score.extracted, extra + len(score.extra)
    recall = found / key_total
    extra_share = extra / max(1, extracted)
    if recall < MIN_FACT_RECALL:
        failures.append(f"facts recall {recall:.3f} (< {MIN_FACT_RECALL})")
    if extra_share > MAX_EXTRA_SHARE:
        failures.append(f"extra facts {extra_share:.3f} (> {MAX_EXTRA_SHARE})")
    assert not failures, "\n".join(failures)


@pytest.mark.xfail(
    reason="issue #15 item 3 not met: every run >= 99.8% of characters right. Measured 2026-12-04 16:13 "
    "(corpus_bench.py --seeds 5 --split all, session 10: character model of the genre, aids read through in "
    "a run, dropped pairs after an aid): worst run 0.9063 held-out / 0.9664 dev (mean of document means "
    "0.9950 / 0.9971), 26 of 27 held-out and 22 of 23 dev documents have a run below 0.998. What remains is "
    "long out-of-step runs where the decoder lost four bytes or more (docs/ingest.md)",
    strict=True,
)
def test_issue_15_char_accuracy_on_the_ci_slice():
    failures = []
    for doc, seed, commas, d, result in _slice_runs():
        acc = ce.char_accuracy(result.text, d.reference)
        if acc < MIN_CHAR_ACCURACY:
            failures.append(f"{doc.id} seed {seed} commas {commas}: {acc:.4f} of characters right")
    assert not failures, "\n".join(failures)


# The unseen splits (each written after the one before, about a province of its own, keys written from the text
# before the extractor ran on it; corpus/README.md): (split, at least so many documents, characters per document
# (white space not counted) between these bounds or None where no bound was set). The splits before each are those
# listed before it in build_corpus.SPLITS.
UNSEEN_SPLITS = (
    # dev2: session 13, 汀湄省 …, unseen wording
    ("dev2", 12, None),
    # dev3: session 14, 溱源省, forms dev and dev2 rarely use
    ("dev3", 20, None),
    # dev4: session 15, 茗沚省, forms dev..dev3 do not show
    ("dev4", 16, None),
    # dev5: session 16, 漪岘省
    ("dev5", 20, None),
    # dev6: session 17, 翊沣省, forms dev..dev5 rarely show
    ("dev6", 20, (800, 3300)),
    # dev7: session 18, 璟洮省, speeches, short dense reports
    ("dev7", 24, (200, 3300)),
    # dev8: session 19, 瑀泽省, 赛马制, an integrity notice, the known leftovers (一个/一家, 三块钱, 前三十, 首届/上届,
    # 30日内, 3月31日前, a year carried over, 一个月 in speech)
    ("dev8", 30, (200, 3300)),
    # dev9: session 20, 珩溆省, cities of another province as another place (湍屏省砚湄市), 万 without 元 in speech
    ("dev9", 30, (150, 3300)),
    # dev10: session 21, 琤峦省, a county's, a university's and a park's reports, news dated the next January
    ("dev10", 20, (150, 3300)),
    # dev11: session 22, 珣沱省, reports of 800 characters or more (tables, a feature in speech, a fair, calls)
    ("dev11", 20, (800, 3300)),
    # dev12: session 22, 琀屿省, the same way, after dev11
    ("dev12", 10, (800, 3300)),
    # dev13: session 22, 瓒湄省, the same way, after dev12, 952 characters or more
    ("dev13", 10, (900, 3300)),
    # dev14: session 23, 璘澈省, written by hand before any extractor ran on it (speech, 赛马制, tables, rates in 公斤/小时)
    ("dev14", 15, (900, 3300)),
    # dev15: session 23, 玹濛省, the same way, after dev14 had landed
    ("dev15", 10, (900, 3300)),
    # dev16: session 23, 琭渼省, by hand, after dev15 had landed
    ("dev16", 10, (900, 3300)),
    # dev17: session 24, 瓅湫省, by hand, by a helper who never ran the extractor
    ("dev17", 12, (900, 3300)),
    # dev18: session 24, 玙澥省, by hand, the same way, after dev17 had landed
    ("dev18", 10, (900, 3300)),
    # dev19: session 25, 璩濉省, by hand, by a helper who never ran the extractor (lead measures first sight)
    ("dev19", 12, (900, 3300)),
    # dev20: session 25, 瑱瀼省, by hand, the same way, after dev19 had landed
    ("dev20", 10, (900, 3300)),
    # dev21: session 26, 玚澋省, by hand, by a helper who never ran the extractor (lead measures first sight)
    ("dev21", 12, (900, 3300)),
    # dev22: session 26, 瑑湝省, by hand, the same way, after dev21 had landed
    ("dev22", 10, (900, 3300)),
    # dev23: session 27, 瓘滍省, by hand, by a helper who never ran the extractor (lead measures first sight)
    ("dev23", 12, (900, 3300)),
    # dev24: session 27, 珹湉省, by hand, the same way, after dev23 had landed
    ("dev24", 10, (900, 3300)),
    # dev25: session 28, 鄜漻省, by hand, the same way, genres the corpus showed less (funds, R&D bulletin, 揭榜挂帅, Q&A …)
    ("dev25", 12, (750, 3300)),
    # dev26: session 28, 翙琈省, by hand, the same way, after dev25 had landed
    ("dev26", 10, (700, 3300)),
    # dev27: session 29, 岏溹省, by hand, by a helper who never ran or read the extractor, full-length reports
    ("dev27", 12, (1200, 2500)),
    # dev28: session 29, 瑨砳省, by hand, by a helper who never ran the extractor, full-length reports this time
    ("dev28", 12, (1200, 2500)),
    # dev29: session 30, 珝沨省, by hand, by a helper who never ran, imported or read the extractor, full-length reports
    ("dev29", 12, (1200, 2500)),
    # dev30: session 30, 瑽岞省, by hand, by a helper who never ran, imported or read the extractor, unseen until landed
    ("dev30", 12, (1200, 2500)),
    # dev31: session 31, 漖嶅省, by hand, by a helper who never ran, imported or read the extractor, unseen until landed
    ("dev31", 12, (1200, 2500)),
    # dev32: session 31, 玕汭省, by hand, by a helper who never ran, imported or read the extractor, unseen until landed
    ("dev32", 12, (1200, 2500)),
    # dev33: session 32, 湑嵋省, by hand, by a helper who never ran, imported or read the extractor, unseen until landed
    ("dev33", 12, (1200, 2500)),
    # dev34: session 32, 珵潀省, by hand, by a helper who never ran, imported or read the extractor, unseen until landed
    ("dev34", 12, (1200, 2500)),
    # dev35: session 33, 瑭崆省, by hand, by a helper who never ran, imported or read the extractor, unseen until landed
    ("dev35", 12, (1200, 2500)),
    # dev36: session 33, 桠祾省, by hand, by a helper who never ran, imported or read the extractor, unseen until landed
    ("dev36", 12, (1200, 2500)),
    # dev37: session 33, 碚磡省, by hand, by a helper who never ran, imported or read the extractor, unseen until landed
    ("dev37", 12, (1200, 2500)),
    # dev38: session 33, 鹇鸰省, by hand, by a helper who never ran, imported or read the extractor, unseen until landed
    ("dev38", 12, (1200, 2500)),
    # dev39: session 34, 蛱蚰省, by hand, by a helper who never ran, imported or read the extractor, unseen until landed
    ("dev39", 12, (1200, 2500)),
    # dev40: session 34, 鲥鳜省, by hand, by a helper who never ran, imported or read the extractor, unseen until landed
    ("dev40", 12, (1200, 2500)),
    # dev41: session 35, 祧禛省, by hand, by a helper who never ran, imported or read the extractor, unseen until landed
    ("dev41", 12, (1100, 2500)),
    # dev42: session 35, 铧镡省, by hand, by a helper who never ran, imported or read the extractor, unseen until landed
    ("dev42", 12, (1100, 2500)),
    # dev43: session 36, 貘豻省, by hand, by a helper who never ran, imported or read the extractor, unseen until landed
    ("dev43", 12, (1100, 2500)),
    # dev44: session 36, 舸舳省, by hand, by a helper who never ran, imported or read the extractor, unseen until landed
    ("dev44", 12, (1100, 2500)),
)


@pytest.mark.parametrize(("split", "at_least", "chars"), UNSEEN_SPLITS, ids=[u[0] for u in UNSEEN_SPLITS])
def test_each_unseen_split_is_built_and_apart_from_the_earlier_ones(split, at_least, chars):
    """Each unseen split: at least so many documents, ids of its own, keys sound and built from their sources
    (that split only), no text shared with an earlier split, every key with facts, lengths within bounds."""
    docs = ce.load_corpus(split)
    assert len(docs) >= at_least
    earlier = ce.build_corpus.PRINTS_TEXT[: ce.build_corpus.PRINTS_TEXT.index(split)]
    assert earlier and earlier[0] == "dev"
    before = {d.text for s in earlier for d in ce.load_corpus(s)}
    assert before.isdisjoint({d.text for d in docs})
    for doc in docs:
        assert doc.id.startswith(split + "-") and doc.split == split
        assert ce.build_corpus.check_key(doc.key, doc.text) == [], doc.id
        assert doc.key["facts"], doc.id
        if chars is not None:
            assert chars[0] <= doc.key["chars"] <= chars[1], doc.id
    assert ce.build_corpus.build(check_only=True, splits=(split,)) == 0


def _clean_facts(split: str) -> tuple[float, float]:
    """The extraction alone on a split's clean texts, against its keys (each fact's region matched): recall and
    the share of extracted facts the key does not hold."""
    found = key_total = extracted = extra = 0
    for doc in ce.load_corpus(split):
        score = ce.score_facts(ce.extract(doc.text, doc.year), doc.key["facts"], doc.key["region"])
        found, key_total = found + score.found, key_total + score.key
        extracted, extra = extracted + score.extracted, extra + len(score.extra)
    return found / key_total, extra / extracted


def test_issue_15_facts_on_the_dev2_clean_texts():
    """Issue #15 item 4 on the dev2 split's clean texts (extraction alone, a fraction of a second):
    measured 2026-12-05 with main's extractor before session 13 (64ae1e8): recall 0.926, extra 0.027 (24
    documents, 753 key facts); after: 0.989 / 0.011."""
    recall, extra_share = _clean_facts("dev2")
    assert recall >= 0.98, recall
    assert extra_share <= 0.02, extra_share


def test_issue_15_facts_on_the_dev3_clean_texts():
    """Issue #15 item 4 on the dev3 split's clean texts (extraction alone, a fraction of a second); each batch
    measured unseen first (benchmarks/ingest/README.md, session 14: facts3)."""
    recall, extra_share = _clean_facts("dev3")
    assert recall >= 0.98, recall
    assert extra_share <= 0.02, extra_share


def test_issue_15_facts_on_the_dev4_clean_texts():
    """Issue #15 item 4 on the dev4 split's clean texts (extraction alone): measured unseen with main's
    extractor (1c7ffe1) at recall 0.936, extra 0.049 (the key as written: 472 facts), 0.937 / 0.037 with the
    six bounds of a class the earlier splits' keys record marked too (478 facts); after session 15's fixes
    0.983 / 0.015; the second batch (dev4-19 … 23) unseen with those fixes 0.764 / 0.116; all 23 after: 0.988 / 0.014
    (benchmarks/ingest/README.md, session 15: dev4)."""
    recall, extra_share = _clean_facts("dev4")
    assert recall >= 0.98, recall
    assert extra_share <= 0.02, extra_share


def test_issue_15_facts_on_the_dev5_clean_texts():
    """Issue #15 item 4 on the dev5 split's clean texts (extraction alone): measured unseen with main's
    extractor (b62c5d9) at recall 0.917, extra 0.046 (the first batch, dev5-01 … 22, key as written); after
    session 16's fixes 0.992 / 0.007; the second batch (dev5-23 … 27) unseen with those fixes 0.916 / 0.092;
    all 27 after: 0.986 / 0.013 (benchmarks/ingest/README.md, session 16: dev5)."""
    recall, extra_share = _clean_facts("dev5")
    assert recall >= 0.98, recall
    assert extra_share <= 0.02, extra_share


def test_issue_15_facts_on_the_dev6_clean_texts():
    """Issue #15 item 4 on the dev6 split's clean texts (extraction alone): the first batch (dev6-01 … 20)
    measured unseen with main's extractor (97c537a) at recall 0.951, extra 0.038 (key as written); after
    session 17's fixes 0.998 / 0.004; the second batch (dev6-21 … 25) unseen with those fixes 0.911 / 0.089,
    the third (dev6-26 … 29) unseen with the next 0.956 / 0.050; all 29 after: 0.988 / 0.014
    (benchmarks/ingest/README.md, session 17: facts6)."""
    recall, extra_share = _clean_facts("dev6")
    assert recall >= 0.98, recall
    assert extra_share <= 0.02, extra_share


def test_issue_15_facts_on_the_dev7_clean_texts():
    """Issue #15 item 4 on the dev7 split's clean texts (extraction alone): measured unseen with main's
    extractor (7ee6e99) at recall 0.939, extra 0.047 (511/544, 25/536, key as written); after session 18's
    fixes and two slips of the key (542 facts) 0.978 / 0.017; a second batch (dev7-25 … 30, 99 facts) unseen
    with those fixes 0.909 / 0.062, a third (dev7-31 … 34, 56 facts) with the next 0.982 / 0.000; all 34 after:
    0.980 / 0.016 (benchmarks/ingest/README.md, session 18: facts7)."""
    recall, extra_share = _clean_facts("dev7")
    assert recall >= 0.97, recall
    assert extra_share <= 0.02, extra_share


def test_issue_15_facts_on_the_dev8_clean_texts():
    """Issue #15 item 4 on the dev8 split's clean texts (extraction alone): three batches, each committed before
    the extractor ran on it and measured unseen (benchmarks/ingest/README.md, session 19: facts8); no unit of
    another province linked to the department's own."""
    recall, extra_share = _clean_facts("dev8")
    assert recall >= 0.97, recall
    assert extra_share <= 0.02, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev8")) == 0


def test_issue_15_facts_on_the_dev9_clean_texts():
    """Issue #15 item 4 on the dev9 split's clean texts (extraction alone): three batches, each committed before
    the extractor ran on it and measured unseen (benchmarks/ingest/README.md, session 20: facts10); no unit of
    another province linked to the department's own."""
    recall, extra_share = _clean_facts("dev9")
    assert recall >= 0.95, recall
    assert extra_share <= 0.03, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev9")) == 0


# What the repair reaches on the slice's dev documents (a floor against regressions, below the issue's
# 0.998): measured 2026-12-04 (session 11, `?`-decoder readings), worst run 0.9905 and mean 0.9977 (session
# 10: 0.9886 and 0.9968; before the character model and the longer-loss readings: 0.9838 and 0.9956). Only
# dev documents: the held-out ones are not tuned against.
SLICE_DEV_MIN_WORST = 0.990
SLICE_DEV_MIN_MEAN = 0.9975


def test_the_ci_slices_dev_documents_keep_the_accuracy_reached():
    from kechuang.ingest import parsers

    docs = {d.id: d for d in ce.load_corpus("dev")}
    accs = []
    for doc_id in (i for i in SLICE_DOCS if i.startswith("dev-")):
        for seed in SLICE_SEEDS:
            for commas in (False, True):
                d = ce.damage(docs[doc_id], seed, commas)
                accs.append(
                    (ce.char_accuracy(parsers.repair(d.text).text, d.reference), doc_id, seed, commas)
                )
    worst = min(accs)
    mean = sum(a for a, *_ in accs) / len(accs)
    assert worst[0] >= SLICE_DEV_MIN_WORST, worst
    assert mean >= SLICE_DEV_MIN_MEAN, mean


def test_an_aid_after_a_run_read_again_is_its_last_characters_reading_not_text():
    """dev-02 at seed 3: 咝 (高|新's straddling bytes) and 技 carry aids, so 高新技術 reads 高(sī)录(jì)術.
    Re-reading the run after the first aid, the lost last byte is a character read jì; the aid after
    the run is that character's reading, so the dictionary sees 新?術 (技術), not 新?(jì)."""
    from kechuang.ingest import parsers

    doc = next(d for d in ce.load_corpus("dev") if d.id == "dev-02")
    damaged = ce.damage(doc, 3, False)
    assert damaged.text.count("(sī)录(jì)") == 3
    assert as_read(parsers.repair(damaged.text).text).count("新技") >= 3


def test_issue_15_facts_on_the_dev10_clean_texts():
    """Issue #15 item 4 on the dev10 split's clean texts (extraction alone): two batches, each committed before the
    extractor ran on it, measured unseen with main's extractor at recall 0.938, extra 0.048 (the key after its
    slips; benchmarks/ingest/README.md, session 21: facts11); no unit of another province linked to the
    department's own."""
    recall, extra_share = _clean_facts("dev10")
    assert recall >= 0.98, recall
    assert extra_share <= 0.02, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev10")) == 0


def test_issue_15_facts_on_the_dev17_clean_texts():
    """Issue #15 item 4 on the dev17 split's clean texts (extraction alone): written by a helper who never ran the
    extractor, measured at first sight at recall 0.955, extra 0.029 (main 816ff22e, key as written; 0.971 / 0.017 on
    the key after its nine slips), then tuned on (benchmarks/ingest/README.md, session 24: facts20); no unit of
    another province linked to the department's own."""
    recall, extra_share = _clean_facts("dev17")
    assert recall >= 0.99, recall
    assert extra_share <= 0.01, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev17")) == 0


def test_issue_15_facts_on_the_dev18_clean_texts():
    """Issue #15 item 4 on the dev18 split's clean texts (extraction alone): written by a helper who never ran the
    extractor, measured at first sight at recall 0.949, extra 0.034 (key as written; 0.964 / 0.023 on the key after
    its seven slips), then tuned on (benchmarks/ingest/README.md, session 25: facts22); no unit of another province
    linked to the department's own."""
    recall, extra_share = _clean_facts("dev18")
    assert recall >= 0.99, recall
    assert extra_share <= 0.01, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev18")) == 0


def test_issue_15_facts_on_the_dev19_clean_texts():
    """Issue #15 item 4 on the dev19 split's clean texts (extraction alone): written by a helper who never ran the
    extractor, measured at first sight at recall 0.964, extra 0.036 (main 7b7c8dcf, key as written; 0.972 / 0.024 on
    the key after its slips with main db62f913), then tuned on (benchmarks/ingest/README.md, session 25: facts23); no
    unit of another province linked to the department's own."""
    recall, extra_share = _clean_facts("dev19")
    assert recall >= 0.99, recall
    assert extra_share <= 0.01, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev19")) == 0


def test_issue_15_facts_on_the_dev20_clean_texts():
    """Issue #15 item 4 on the dev20 split's clean texts (extraction alone): written by a helper who never ran the
    extractor, measured at first sight at recall 0.926, extra 0.083 (bc5fa5cd, key as written; unchanged after the
    session's other rounds; 0.935 / 0.061 on the key after its ten slips), then tuned on for twenty minutes
    (benchmarks/ingest/README.md, session 25: facts24: 0.965 / 0.035); no unit of another province linked to the
    department's own."""
    recall, extra_share = _clean_facts("dev20")
    assert recall >= 0.96, recall
    assert extra_share <= 0.04, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev20")) == 0


def test_issue_15_facts_on_the_dev21_clean_texts():
    """Issue #15 item 4 on the dev21 split's clean texts (extraction alone): written by a helper who never ran the
    extractor, measured at first sight at recall 0.931, extra 0.041 (the lead; 0.932 / 0.041 on the key after its one
    slip), then tuned on (benchmarks/ingest/README.md, session 26: facts26); no unit of another province linked to the
    department's own."""
    recall, extra_share = _clean_facts("dev21")
    assert recall >= 0.985, recall
    assert extra_share <= 0.02, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev21")) == 0


def test_issue_15_facts_on_the_dev24_clean_texts():
    """Issue #15 item 4 on the dev24 split's clean texts (extraction alone): written by a helper who never ran the
    extractor, measured at first sight at recall 0.845, extra 0.058 (the lead; 0.848 / 0.056 on the key after its one
    slip), then tuned on (benchmarks/ingest/README.md, session 27: facts29: 0.989 / 0.009; session 28: facts30, 1.000 /
    0.000); no unit of another province linked to the department's own."""
    recall, extra_share = _clean_facts("dev24")
    assert recall >= 0.995, recall
    assert extra_share <= 0.005, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev24")) == 0


def test_issue_15_facts_on_the_dev23_clean_texts():
    """Issue #15 item 4 on the dev23 split's clean texts (extraction alone): written by a helper who never ran the
    extractor, measured at first sight at recall 0.929, extra 0.017 (the lead; 0.930 / 0.015 on the key after its one
    slip), then tuned on (benchmarks/ingest/README.md, session 27: facts29: 0.991 / 0.005; session 28: facts30, on the key
    after one more slip, 560 facts, 1.000 / 0.000)."""
    recall, extra_share = _clean_facts("dev23")
    assert recall >= 0.995, recall
    assert extra_share <= 0.005, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev23")) == 0


def test_issue_15_facts_on_the_dev22_clean_texts():
    """Issue #15 item 4 on the dev22 split's clean texts (extraction alone): written by a helper who never ran the
    extractor, measured at first sight at recall 0.931, extra 0.061 (the lead; 0.944 / 0.048 on the key after its three
    slips), then tuned on (benchmarks/ingest/README.md, session 27: facts27: 0.998 / 0.002; session 28: facts30, 1.000 /
    0.000); no unit of another province linked to the department's own."""
    recall, extra_share = _clean_facts("dev22")
    assert recall >= 0.995, recall
    assert extra_share <= 0.005, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev22")) == 0


def test_issue_15_facts_on_the_dev25_clean_texts():
    """Issue #15 item 4 on the dev25 split's clean texts (extraction alone): written by a helper who never ran the
    extractor, measured at first sight at recall 0.914, extra 0.054 (the lead), then tuned on (benchmarks/ingest/
    README.md, session 28: facts31: 0.983 / 0.017 on the key after its one slip, 592 facts; facts32: 0.988 / 0.013); no unit of
    another province linked to the department's own (one was, 漻州市科技局组织漻州大学, before facts31)."""
    recall, extra_share = _clean_facts("dev25")
    assert recall >= 0.987, recall
    assert extra_share <= 0.014, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev25")) == 0


def test_issue_15_facts_on_the_dev26_clean_texts():
    """Issue #15 item 4 on the dev26 split's clean texts (extraction alone): written by a helper who never ran the
    extractor, measured at first sight at recall 0.911, extra 0.058 (facts31, before any change for it), then tuned on
    (benchmarks/ingest/README.md, session 28: facts31: 0.978 / 0.020; facts32, its interviews' spoken forms: 0.993 / 0.009)."""
    recall, extra_share = _clean_facts("dev26")
    assert recall >= 0.99, recall
    assert extra_share <= 0.01, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev26")) == 0


def test_issue_15_facts_on_the_dev27_clean_texts():
    """Issue #15 item 4 on the dev27 split's clean texts (extraction alone): written by a helper who never ran the
    extractor, measured at first sight at recall 0.945, extra 0.036 (the lead), then tuned on (benchmarks/ingest/README.md,
    session 29: facts33: 0.997 / 0.007 on the key after its slips); no unit of another province linked to the department's
    own."""
    recall, extra_share = _clean_facts("dev27")
    assert recall >= 0.995, recall
    assert extra_share <= 0.01, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev27")) == 0


def test_issue_15_facts_on_the_dev28_clean_texts():
    """Issue #15 item 4 on the dev28 split's clean texts (extraction alone): written by a helper who never ran the
    extractor, measured at first sight at recall 0.949, extra 0.028 (the lead), then tuned on (benchmarks/ingest/README.md,
    session 29: facts33: 0.980 / 0.008 on the key after its slips, 609 facts); no unit of another province linked to the
    department's own."""
    recall, extra_share = _clean_facts("dev28")
    assert recall >= 0.975, recall
    assert extra_share <= 0.01, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev28")) == 0


def test_issue_15_facts_on_the_dev29_clean_texts():
    """Issue #15 item 4 on the dev29 split's clean texts (extraction alone): written by a helper who never ran the
    extractor, measured at first sight at recall 0.986, extra 0.015 (the lead), then tuned on (benchmarks/ingest/README.md,
    session 30: facts34: 0.998 / 0.000); no unit of another province linked to the department's own."""
    recall, extra_share = _clean_facts("dev29")
    assert recall >= 0.995, recall
    assert extra_share <= 0.005, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev29")) == 0


def test_issue_15_facts_on_the_dev30_clean_texts():
    """Issue #15 item 4 on the dev30 split's clean texts (extraction alone): written by a helper who never ran the
    extractor, measured at first sight at recall 0.919, extra 0.056 (the lead), then tuned on (benchmarks/ingest/README.md,
    session 30: facts34: 0.998 / 0.000 on the key after its slip); no unit of another province linked to the department's
    own."""
    recall, extra_share = _clean_facts("dev30")
    assert recall >= 0.995, recall
    assert extra_share <= 0.005, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev30")) == 0


def test_issue_15_facts_on_the_dev31_clean_texts():
    """Issue #15 item 4 on the dev31 split's clean texts (extraction alone): written by a helper who never ran the
    extractor, measured at first sight at recall 0.966, extra 0.011 (the lead, /work/wt/FIRSTSIGHT31.md), then tuned on
    (benchmarks/ingest/README.md, session 31: facts35: 0.998 / 0.002); no unit of another province linked to the
    department's own."""
    recall, extra_share = _clean_facts("dev31")
    assert recall >= 0.995, recall
    assert extra_share <= 0.005, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev31")) == 0


def test_issue_15_facts_on_the_dev32_clean_texts():
    """Issue #15 item 4 on the dev32 split's clean texts (extraction alone): written by a helper who never ran the
    extractor, measured at first sight at recall 0.936, extra 0.059 (the lead), then tuned on (benchmarks/ingest/README.md,
    session 31: facts35: 0.997 / 0.002); no unit of another province linked to the department's own."""
    recall, extra_share = _clean_facts("dev32")
    assert recall >= 0.995, recall
    assert extra_share <= 0.005, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev32")) == 0


def test_issue_15_facts_on_the_dev33_clean_texts():
    """Issue #15 item 4 on the dev33 split's clean texts (extraction alone): written by a helper who never ran the
    extractor, measured at first sight at recall 0.948, extra 0.023 (the lead, /work/wt/FIRSTSIGHT33.md), then tuned on
    (benchmarks/ingest/README.md, session 32: facts37: 0.997 / 0.002 on the key after its two slips); no unit of another
    province linked to the department's own."""
    recall, extra_share = _clean_facts("dev33")
    assert recall >= 0.995, recall
    assert extra_share <= 0.005, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev33")) == 0


def test_issue_15_facts_on_the_dev34_clean_texts():
    """Issue #15 item 4 on the dev34 split's clean texts (extraction alone): written by a helper who never ran the
    extractor, measured at first sight at recall 0.974, extra 0.017 (the lead, /work/wt/FIRSTSIGHT33.md), then tuned on
    (benchmarks/ingest/README.md, session 32: facts37: 0.998 / 0.002); no unit of another province linked to the
    department's own."""
    recall, extra_share = _clean_facts("dev34")
    assert recall >= 0.995, recall
    assert extra_share <= 0.005, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev34")) == 0


def test_issue_15_facts_on_the_dev35_clean_texts():
    """Issue #15 item 4 on the dev35 split's clean texts (extraction alone): written by a helper who never ran the
    extractor, measured at first sight at recall 0.888, extra 0.105 (the lead, /work/wt/FIRSTSIGHT35.md: the yearbook
    excerpt's tables of the year before), then tuned on (benchmarks/ingest/README.md, session 33: facts38, on the key
    after its slips); no unit of another province linked to the department's own."""
    recall, extra_share = _clean_facts("dev35")
    assert recall >= 0.995, recall
    assert extra_share <= 0.005, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev35")) == 0


def test_issue_15_facts_on_the_dev36_clean_texts():
    """Issue #15 item 4 on the dev36 split's clean texts (extraction alone): written by a helper who never ran the
    extractor, measured at first sight at recall 0.949, extra 0.021 (the lead, /work/wt/FIRSTSIGHT35.md), then tuned on
    (benchmarks/ingest/README.md, session 33: facts38); no unit of another province linked to the department's own."""
    recall, extra_share = _clean_facts("dev36")
    assert recall >= 0.995, recall
    assert extra_share <= 0.005, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev36")) == 0


def test_issue_15_facts_on_the_dev37_clean_texts():
    """Issue #15 item 4 on the dev37 split's clean texts (extraction alone): written by a helper who never ran the
    extractor, measured at first sight at recall 0.884, extra 0.021 (the lead, /work/wt/FIRSTSIGHT35.md), then tuned on
    (benchmarks/ingest/README.md, session 33: facts39) to 0.964 / 0.017, then (session 34: facts41) to 1.000 / 0.000
    — held at the 0.995 / 0.005 of the splits before it; no unit of another province linked to the department's own."""
    recall, extra_share = _clean_facts("dev37")
    assert recall >= 0.995, recall
    assert extra_share <= 0.005, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev37")) == 0


def test_issue_15_facts_on_the_dev38_clean_texts():
    """Issue #15 item 4 on the dev38 split's clean texts (extraction alone): written by a helper who never ran the
    extractor, measured at first sight at recall 0.861, extra 0.105 (the lead, /work/wt/FIRSTSIGHT35.md), then tuned on
    (benchmarks/ingest/README.md, session 33: facts40) to 0.939 / 0.035, session 34: facts42 to 1.000 / 0.000 on the key
    after its slips (591 facts) - the issue's thresholds of the tuned splits (≥ 0.995, ≤ 0.005); no unit of another
    province linked to the department's own."""
    recall, extra_share = _clean_facts("dev38")
    assert recall >= 0.995, recall
    assert extra_share <= 0.005, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev38")) == 0


def test_issue_15_facts_on_the_dev39_clean_texts():
    """Issue #15 item 4 on the dev39 split's clean texts (extraction alone): written by a helper who never ran the
    extractor, measured at first sight at recall 0.816, extra 0.147 (the lead, /work/wt/FIRSTSIGHT39.md), then tuned on
    (benchmarks/ingest/README.md, session 34: facts41) to 0.965 / 0.010, session 35: facts43 to 1.000 / 0.000 on the key
    after its slips (600 facts) - the issue's thresholds of the tuned splits (≥ 0.995, ≤ 0.005); no unit of another
    province linked to the department's own."""
    recall, extra_share = _clean_facts("dev39")
    assert recall >= 0.995, recall
    assert extra_share <= 0.005, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev39")) == 0


def test_issue_15_facts_on_the_dev40_clean_texts():
    """Issue #15 item 4 on the dev40 split's clean texts (extraction alone): written by a helper who never ran the
    extractor, measured at first sight at recall 0.959, extra 0.034 (the lead, /work/wt/FIRSTSIGHT40.md), then tuned on
    (benchmarks/ingest/README.md, session 34: facts42) to 1.000 / 0.000 on the key after its three slips (562 facts) - the
    issue's thresholds of the tuned splits (≥ 0.995, ≤ 0.005); no unit of another province linked to the department's
    own."""
    recall, extra_share = _clean_facts("dev40")
    assert recall >= 0.995, recall
    assert extra_share <= 0.005, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev40")) == 0


def test_issue_15_facts_on_the_dev41_clean_texts():
    """Issue #15 item 4 on the dev41 split's clean texts (extraction alone): written by a helper who never ran the
    extractor, measured at first sight at recall 0.925, extra 0.032 (the lead, /work/wt/FIRSTSIGHT41.md), then tuned on
    (benchmarks/ingest/README.md, session 35: facts44) to 1.000 / 0.000 on the key after its one slip (626 facts) - the
    issue's thresholds of the tuned splits (≥ 0.995, ≤ 0.005); no unit of another province linked to the department's
    own."""
    recall, extra_share = _clean_facts("dev41")
    assert recall >= 0.995, recall
    assert extra_share <= 0.005, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev41")) == 0


def test_issue_15_facts_on_the_dev42_clean_texts():
    """Issue #15 item 4 on the dev42 split's clean texts (extraction alone): written by a helper who never saw the
    extractor, measured at first sight at recall 0.977, extra 0.009 (the lead, /work/wt/FIRSTSIGHT42.md), then tuned on
    (benchmarks/ingest/README.md, session 35: facts45) to 1.000 / 0.000 (656 facts) - the issue's thresholds of the
    tuned splits (≥ 0.995, ≤ 0.005); no unit of another province linked to the department's own."""
    recall, extra_share = _clean_facts("dev42")
    assert recall >= 0.995, recall
    assert extra_share <= 0.005, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev42")) == 0


def test_issue_15_facts_on_the_dev43_clean_texts():
    """Issue #15 item 4 on the dev43 split's clean texts (extraction alone): written by a helper who never saw the
    extractor, measured at first sight at recall 0.973, extra 0.027 (the lead, /work/wt/FIRSTSIGHT43.md), then tuned on
    (benchmarks/ingest/README.md, session 36: facts46) to 1.000 / 0.000 on the key after its one slip (601 facts) - the
    issue's thresholds of the tuned splits (≥ 0.995, ≤ 0.005); no unit of another province linked to the department's
    own."""
    recall, extra_share = _clean_facts("dev43")
    assert recall >= 0.995, recall
    assert extra_share <= 0.005, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev43")) == 0


def test_issue_15_facts_on_the_dev44_clean_texts():
    """Issue #15 item 4 on the dev44 split's clean texts (extraction alone): written by a helper who never read the
    ingest code, measured at first sight at recall 0.936, extra 0.022 (the lead, /work/wt/FIRSTSIGHT44.md), then tuned on
    (benchmarks/ingest/README.md, session 36: facts47) to 1.000 / 0.000 (626 facts) - the issue's thresholds of the
    tuned splits (≥ 0.995, ≤ 0.005); no unit of another province linked to the department's own."""
    recall, extra_share = _clean_facts("dev44")
    assert recall >= 0.995, recall
    assert extra_share <= 0.005, extra_share
    assert sum(ce.foreign_mislinks(doc.text, doc.key) for doc in ce.load_corpus("dev44")) == 0


def test_facts_damage_runs_the_measured_splits_only():
    """benchmarks/ingest/facts_damage.py runs the splits measured and tuned on (dev … dev44) and refuses the held-out
    split and any other (an unseen split added later) before reading anything of it."""
    fd = ce._load("kechuang_bench_facts_damage", ce.HERE / "facts_damage.py")
    assert "dev21" in fd.MEASURED and "dev" in fd.MEASURED
    assert "dev22" in fd.MEASURED and "dev23" in fd.MEASURED and "dev24" in fd.MEASURED
    assert "dev25" in fd.MEASURED and "dev26" in fd.MEASURED
    assert "dev27" in fd.MEASURED and "dev28" in fd.MEASURED
    assert "dev29" in fd.MEASURED and "dev30" in fd.MEASURED
    assert "dev31" in fd.MEASURED and "dev32" in fd.MEASURED
    assert "dev33" in fd.MEASURED and "dev34" in fd.MEASURED
    assert "dev35" in fd.MEASURED and "dev36" in fd.MEASURED and "dev37" in fd.MEASURED
    assert "dev38" in fd.MEASURED and "dev39" in fd.MEASURED
    assert "dev40" in fd.MEASURED and "dev41" in fd.MEASURED and "dev42" in fd.MEASURED
    assert "dev43" in fd.MEASURED and "dev44" in fd.MEASURED
    for split in ("heldout", "train"):
        assert split not in fd.MEASURED
        with pytest.raises(SystemExit):
            fd.run(split, [0])
