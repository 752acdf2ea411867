"""Report repair (issue #15, session 33 `repair35`): the characters a re-read run guessed are marked on the page.

A run re-read out of step whose lost bytes the dictionary filled was counted uncertain, but its characters were not
shown as doubtful: `。”輪舞阳一家` for 。”蓁阳一家 (the name's two characters guessed) read as plain text. The characters
whose bytes were guessed (`gbk.GUESSED`) are now inside a `〔存疑：…〕` mark. Pages are damaged with the forward model's
own byte-level steps (benchmarks/ingest/forward.py, via `bench.site`); the sentences and names are our own."""

import re

import pytest

from kechuang.ingest.parsers import mojibake, repair
from kechuang.ingest.parsers.steps import leftover_find_edits, punctuation_find_edits, residue_find_edits
from kechuang.ingest.tests import bench

_MARK = re.compile(r"〔存疑：([^〕]*)〕")
_GUESSED = "个丢失字节按词典补全"


def _plain(text: str) -> tuple[str, list[bool]]:
    """`text` with its marks read as what they hold, and per character whether it stood in a mark."""
    out, marked, pos = [], [], 0
    for m in _MARK.finditer(text):
        out += text[pos : m.start()]
        marked += [False] * (m.start() - pos)
        out += m.group(1)
        marked += [True] * len(m.group(1))
        pos = m.end()
    out += text[pos:]
    marked += [False] * (len(text) - pos)
    return "".join(out), marked


def _han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _unmarked_guesses(page: str, monkeypatch) -> list[tuple[str, str]]:
    """(edit's repaired text, character) for every Chinese character a re-read run of the mojibake step guessed
    that its repaired text shows outside a mark: the reading that made the edit is the longest reading with
    guessed bytes (`gbk.GUESSED`) found in it."""
    seen: dict = {}
    real = mojibake._mark_guesses

    def spy(edits, guesses):
        out = real(edits, guesses)
        seen["guesses"], seen["edits"] = dict(guesses or {}), out
        return out

    monkeypatch.setattr(mojibake, "_mark_guesses", spy)
    mojibake.find_edits(page)
    monkeypatch.undo()
    left = []
    for e in seen.get("edits", ()):
        if not e.uncertain or _GUESSED not in e.note:
            continue
        plain, marked = _plain(e.after)
        found = [(len(k), plain.find(k), k) for k in seen["guesses"] if k in plain]
        if not found:
            left.append((e.after, ""))  # a guessing edit whose reading is not in its text
            continue
        _n, i, key = max(found)
        left += [
            (e.after, plain[i + p]) for p in seen["guesses"][key] if _han(plain[i + p]) and not marked[i + p]
        ]
    return left


# ！ = A3 A1 written `!` where it straddled 。|”: 。's lead is dropped, the decoder runs out of step through the name and
# the text after it until an ASCII byte, and an aid lands inside 以 on the way: the re-read run guesses 。's lead, the
# name's first bytes and 以's trail.
_NAME_PAGES = [
    ("合同当天就签下了。”菁川一家新材料企业的总经理说。今年以来全市新增订单。", "以", "川一家新材料企业"),
    ("资金当月就到账了。”瑞河一家农业科技公司的负责人说。目前以上项目进展顺利。", "以", "一家农业科技"),
]


@pytest.mark.parametrize(("clean", "aided", "kept"), _NAME_PAGES)
def test_no_guessed_character_of_a_re_read_run_is_unmarked(clean, aided, kept, monkeypatch):
    page = bench.site(clean, "drop", aided, ascii_marks=True)
    assert "!" in page, page
    assert _unmarked_guesses(page, monkeypatch) == []
    result = repair(page)
    assert kept in result.text, result.text
    assert result.uncertain_count >= 1


def test_a_garbled_name_is_shown_doubtful():
    # 菁 (lost with 。's trail and ”) is read 輯录 out of step: shown as a guess, not as a name
    clean, aided, _kept = _NAME_PAGES[0]
    out = repair(bench.site(clean, "drop", aided, ascii_marks=True)).text
    plain, marked = _plain(out)
    at = plain.index("川一家")
    assert plain[at - 2 : at] != "菁川"[:1] * 2
    assert all(marked[at - 2 : at]), out
    assert "。”〔存疑：" in out, (
        out
    )  # (the guessed 。 itself is punctuation: left for the later steps to read)


@pytest.mark.parametrize("decoder", ["drop", "replace"])
def test_a_guessed_character_keeps_its_own_aid_inside_its_mark(decoder, monkeypatch):
    # 度 = B6 C8 straddles 投|入 (its aid lands inside 入's bytes); 強度's 度 is guessed, told by its own aid after it
    clean = "全市技术合同成交额稳步提高，研发投入强度达到百分之三。"
    page = bench.site(clean, decoder, "度")
    assert "(dù)" in page, page
    assert _unmarked_guesses(page, monkeypatch) == []
    result = repair(page)
    assert "投入强〔存疑：度〕达到" in result.text, result.text
    assert "(" not in result.text and "dù" not in result.text


def test_a_line_ending_in_a_guess_is_joined_as_after_its_character():
    # (a sentence's line before: the title block's lines are never joined)
    text = "评价结果已经公布。\n参评孵化器上一年度在〔存疑：孵〕\n企业二千八百家，当年新增毕业企业二百家。\n"
    joins = [e for e in punctuation_find_edits(text) if e.note == "句中断行"]
    assert len(joins) == 1
    # ... not after another marker (a redaction, a gap)
    for marker in ("〔隐去〕", "〔缺失3字〕"):
        other = (
            f"评价结果已经公布。\n参评孵化器上一年度在{marker}\n企业二千八百家，当年新增毕业企业二百家。\n"
        )
        assert not [e for e in punctuation_find_edits(other) if e.note == "句中断行"]


def test_an_aid_left_after_a_guess_goes_with_the_run_after_it():
    # `〔存疑：带〕�(lái)成果`: the aid of a character lost after the marked guess, as after the character itself
    edits = residue_find_edits("对接，〔存疑：带〕\ufffd(lái)成果187项。")
    assert [e.after for e in edits] == ["〔存疑：成果〕"]
    edits = residue_find_edits("评审材料已送达，孩〔存疑：子〕?jiā)评审。")
    assert [e.after for e in edits] == ["〔存疑：评审〕"]
    # ... not after another mark (a lost byte's)
    edits = residue_find_edits("评审材料已送达，孩〔存疑：?〕?jiā)评审。")
    assert [e.after for e in edits] == ["〔存疑：?〕"]


def test_a_title_with_a_guess_is_not_joined_for_the_marks_length():
    title = "〔隐去〕省科学技术厅关于2025年省重点研发计划“揭榜挂帅”项目立项的〔存疑：话〕\n根据管理办法，拟予以立项。\n"
    assert not [e for e in punctuation_find_edits(title) if e.note == "句中断行"]


def test_a_comma_before_a_guess_stays():
    # the marks are looked through for a comma before a mark (`，〔存疑：�〕。`), but a guess holds text
    assert leftover_find_edits("两个团队一起干，〔存疑：谁〕〔存疑：干得好就用谁〕。") == []
    assert [e.note for e in leftover_find_edits("两个团队一起干，〔存疑：\ufffd〕。")] == ["残留多余逗号"]


@pytest.mark.parametrize(
    "text",
    [
        "全市研发投入强度达到2.4%，技术合同成交额增长12%。",
        "蓁阳一家生物医药企业负责人说，今年以来贷款到位。",
        "设区市　科普专职人员（人）\n参评孵化器上一年度在孵企业2874家。\n",
    ],
)
def test_clean_text_gets_no_mark(text):
    result = repair(text)
    assert "〔存疑" not in result.text
    assert result.uncertain_count == 0
