"""The repair pipeline: named steps run in order, every edit kept, offsets mapped back to the original.

Order matters: `mojibake` needs the bytes as the site left them; reading aids go before notices (a
notice may carry aids, e.g. 網(wǎng)), and what is left of the damage is marked (`residue`) once they are out, both before punctuation is touched (they contain half-width marks); traditional-to-simplified runs after them so
that every earlier step sees the characters the site wrote; `leftover` comes last and marks whatever is still
broken (a lost byte, a stray aid, a comma before a mark), so that no damage is left uncounted.
"""

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.translation import gettext, gettext_lazy, ngettext

from . import mojibake, steps
from .edits import Edit, OffsetMap, apply_edits

STEPS: list[tuple[str, Callable[[str], list[Edit]]]] = [
    ("mojibake", mojibake.find_edits),
    ("reading_aids", steps.reading_aids_find_edits),
    ("residue", steps.residue_find_edits),
    ("notices", steps.notices_find_edits),
    ("redactions", steps.redactions_find_edits),
    ("punctuation", steps.punctuation_find_edits),
    ("t2s", steps.t2s_find_edits),
    ("leftover", steps.leftover_find_edits),
]
STEP_NAMES = [name for name, _ in STEPS]
_UNCERTAIN_STEPS = ("mojibake", "residue", "leftover")
# a span the repair marked uncertain, as the page shows it (steps.UNCERTAIN_TEMPLATE, mojibake's marks); one
# line at most
UNCERTAIN_MARK = re.compile(r"〔存疑：[^〕\n]*〕")


def marks_shown(text: str) -> int:
    """How many `〔存疑：…〕` marks `text` shows: a repaired text's uncertain places as its page counts them."""
    return len(UNCERTAIN_MARK.findall(text)) if "〔存疑：" in text else 0


# Faster runners for some steps: (text) -> (output text, edits, offset map), the same result as
# `find` + `apply_edits` + `OffsetMap`, with the edits built only when read. Used when nothing is skipped.
RUNNERS: dict[str, Callable] = {
    "reading_aids": steps.reading_aids_run,
    "punctuation": steps.punctuation_run,
    "t2s": steps.t2s_run,
}
STEP_LABELS = {  # lazy: read in the page's language
    "mojibake": gettext_lazy("乱码修复"),
    "notices": gettext_lazy("网站插入提示"),
    "reading_aids": gettext_lazy("注音"),
    "residue": gettext_lazy("存疑标记"),
    "redactions": gettext_lazy("隐去标记"),
    "punctuation": gettext_lazy("标点与空格"),
    "t2s": gettext_lazy("繁转简"),
    "leftover": gettext_lazy("残留乱码标记"),
}

# The steps' notes are kept in Chinese with each change; these put them into the page's language when read.
NOTE_LABELS = {
    "网站省略提示": gettext_lazy("网站省略提示"),
    "网站“未完”提示": gettext_lazy("网站“未完”提示"),
    "网站收藏/分享链接": gettext_lazy("网站收藏/分享链接"),
    "注音": gettext_lazy("注音"),
    "错位注音": gettext_lazy("错位注音"),
    "错位注音与其后乱码": gettext_lazy("错位注音与其后乱码"),
    "无法解码的字节": gettext_lazy("无法解码的字节"),
    "无法解码的字节与其后乱码": gettext_lazy("无法解码的字节与其后乱码"),
    "残留多余逗号": gettext_lazy("残留多余逗号"),
    "错位解码的乱码": gettext_lazy("错位解码的乱码"),
    "原文隐去": gettext_lazy("原文隐去"),
    "多余逗号": gettext_lazy("多余逗号"),
    "半角标点": gettext_lazy("半角标点"),
    "半角括号": gettext_lazy("半角括号"),
    "多余空格": gettext_lazy("多余空格"),
    "句中断行": gettext_lazy("句中断行"),
    "繁转简": gettext_lazy("繁转简"),
    "GBK 字节错位：去掉插入字节后重新对齐解码": gettext_lazy("GBK 字节错位：去掉插入字节后重新对齐解码"),
    "GBK 字节错位：去掉插入的逗号字节后重新对齐解码": gettext_lazy(
        "GBK 字节错位：去掉插入的逗号字节后重新对齐解码"
    ),
}
_GUESSED_NOTE = re.compile(r"；(\d+) 个丢失字节按词典补全$")


def note_text(note: str) -> str:
    """A change's stored (Chinese) note in the page's language; a note not known here is shown as kept."""
    guessed = _GUESSED_NOTE.search(note)
    head = note[: guessed.start()] if guessed else note
    text = str(NOTE_LABELS.get(head, head))
    if guessed:
        n = int(guessed.group(1))
        text += gettext("；") + ngettext("%(n)d 个丢失字节按词典补全", "%(n)d 个丢失字节按词典补全", n) % {
            "n": n
        }
    return text


class Change(NamedTuple):
    """One edit of one step, with its place in the original and in the repaired text (a tuple: a large
    batch has about 94,000 of them per MB)."""

    step: str
    seq: int
    orig_start: int
    orig_end: int
    rep_start: int
    rep_end: int
    before: str
    after: str
    note: str = ""
    uncertain: bool = False

    @property
    def key(self) -> tuple[str, int, int]:
        """Stable identity of the change across re-runs (to undo it)."""
        return (self.step, self.orig_start, self.orig_end)


@dataclass
class RepairResult:
    original: str
    text: str
    stages: list[tuple[str, list[Edit], OffsetMap]] = field(default_factory=list)

    def to_original(self, offset: int, *, end: bool = False) -> int:
        """Offset in the original text of an offset in the repaired text."""
        # The extractor asks this twice per fact: walk the maps that change anything, with the
        # arithmetic of OffsetMap._map written out here (a function call per map per fact costs more
        # than the mapping itself).
        for starts, ends, other_starts, other_ends in self._back_maps():
            i = bisect_right(starts, offset) - 1
            if i < 0:
                continue
            s, e = starts[i], ends[i]
            if offset == s:
                offset = other_starts[i] if (end or s != e) else other_ends[i]
            elif offset < e:
                if other_ends[i] - other_starts[i] == e - s:
                    offset = other_starts[i] + (offset - s)
                else:
                    offset = other_ends[i] if end else other_starts[i]
            else:
                offset = offset - e + other_ends[i]
        return offset

    def to_original_many(self, offsets: list[int], *, end: bool = False) -> list[int]:
        """`to_original` of each offset, map by map (the extractor maps all of a text's figures at once)."""
        out = offsets
        for starts, ends, other_starts, other_ends in self._back_maps():
            out = _map_all(out, starts, ends, other_starts, other_ends, end)
        return list(out)

    def _back_maps(self) -> list:
        """The offset arrays of the steps that moved text, last step first (cached; stages are complete
        once `repair` returns)."""
        cached = self.__dict__.get("_back_maps_cache")
        if cached is None or cached[0] != len(self.stages):
            maps = [
                (m.out_starts, m.out_ends, m.in_starts, m.in_ends)
                for _n, edits, m in reversed(self.stages)
                if edits and not m.same_length  # no edits, or an identity map (t2s): nothing changes
            ]
            cached = (len(self.stages), maps)
            self.__dict__["_back_maps_cache"] = cached
        return cached[1]

    def to_repaired(self, offset: int, *, end: bool = False) -> int:
        """Offset in the repaired text of an offset in the original text."""
        for _name, _edits, omap in self.stages:
            if not omap.same_length:
                offset = omap.to_output(offset, end=end)
        return offset

    @property
    def edit_count(self) -> int:
        return sum(len(edits) for _, edits, _ in self.stages)

    @property
    def uncertain_count(self) -> int:
        """The uncertain places the page counts: the `〔存疑：…〕` marks the repaired text shows (`marks_shown`),
        the one number the document page, its stored stats and the API give (issue #15.3: "the span is marked
        uncertain and counted on the page" - the count a reader checks against the marks they see; repair37).
        One uncertain edit may show two marks (`高〔存疑：校〕合〔存疑：作〕`), and an edit re-read out of step
        with nothing guessed none: the edits are `uncertain_edit_count`."""
        return marks_shown(self.text)

    @property
    def uncertain_edit_count(self) -> int:
        """Edits marked uncertain. Only the mojibake, residue and leftover steps mark any, so the other steps'
        edits (which may not be built yet) are not read."""
        return sum(
            1 for name, edits, _m in self.stages if name in _UNCERTAIN_STEPS for e in edits if e.uncertain
        )

    def changes(self) -> list[Change]:
        """Every edit, in pipeline order, located in both the original and the repaired text.

        A step's edits are mapped together, map by map (`_map_all`), and the records made as tuples."""
        out: list[Change] = []
        seq = 0
        new = tuple.__new__
        for k, (name, edits, omap) in enumerate(self.stages):
            if not edits:
                continue
            # steps without edits and same-length steps (t2s) map every offset to itself: leave them out
            before_maps = [m for _, ed, m in self.stages[:k] if ed and not m.same_length]
            after_maps = [m for _, ed, m in self.stages[k + 1 :] if ed and not m.same_length]
            starts = [e.start for e in edits]
            o_starts, o_ends = starts, [e.end for e in edits]
            for m in reversed(before_maps):
                o_starts = _map_all(o_starts, m.out_starts, m.out_ends, m.in_starts, m.in_ends, False)
                o_ends = _map_all(o_ends, m.out_starts, m.out_ends, m.in_starts, m.in_ends, True)
            if omap.same_length:
                r_starts = starts
            else:
                r_starts = _map_all(
                    starts, omap.in_starts, omap.in_ends, omap.out_starts, omap.out_ends, False
                )
            r_ends = [r + len(e.after) for r, e in zip(r_starts, edits, strict=True)]
            for m in after_maps:
                r_starts = _map_all(r_starts, m.in_starts, m.in_ends, m.out_starts, m.out_ends, False)
                r_ends = _map_all(r_ends, m.in_starts, m.in_ends, m.out_starts, m.out_ends, True)
            for e, o_start, o_end, r_start, r_end in zip(
                edits, o_starts, o_ends, r_starts, r_ends, strict=True
            ):
                out.append(
                    new(
                        Change,
                        (name, seq, o_start, o_end, r_start, r_end, e.before, e.after, e.note, e.uncertain),
                    )
                )
                seq += 1
        return out


def _map_all(offsets: list[int], starts, ends, other_starts, other_ends, end: bool) -> list[int]:
    """`OffsetMap._map` of each offset (the same arithmetic, without a call per offset)."""
    mapped = []
    append = mapped.append
    for o in offsets:
        i = bisect_right(starts, o) - 1
        if i < 0:
            append(o)
            continue
        e = ends[i]
        if o > e:  # past the edit (most offsets): shifted by the edit's change of length
            append(o - e + other_ends[i])
            continue
        s = starts[i]
        if o == s:
            append(other_starts[i] if (end or s != e) else other_ends[i])
        elif o < e:
            if other_ends[i] - other_starts[i] == e - s:
                append(other_starts[i] + (o - s))
            else:
                append(other_ends[i] if end else other_starts[i])
        else:
            append(o - e + other_ends[i])
    return mapped


def repair(
    text: str, *, skip: Iterable[tuple[str, int, int]] = (), steps_to_run: Iterable[str] | None = None
) -> RepairResult:
    """Run the repair steps on `text`. Never raises on any string.

    `skip` lists changes (by `Change.key`) a person has undone: those edits are not applied again.
    """
    skip = set(skip)
    wanted = set(steps_to_run) if steps_to_run is not None else None
    result = RepairResult(original=text, text=text)
    current = text
    for name, find in STEPS:
        if wanted is not None and name not in wanted:
            continue
        if not skip and name in RUNNERS:
            current, edits, omap = RUNNERS[name](current)
            result.stages.append((name, edits, omap))
            continue
        edits = find(current)
        if skip and edits:
            kept = []
            for e in edits:
                o_start, o_end = e.start, e.end
                for _n, _e, m in reversed(result.stages):
                    o_start, o_end = m.to_input(o_start), m.to_input(o_end, end=True)
                if (name, o_start, o_end) not in skip:
                    kept.append(e)
            edits = kept
        if edits:
            current = apply_edits(current, edits)
            result.stages.append((name, edits, OffsetMap(edits)))
        else:  # most steps change nothing in most reports: no map to build
            result.stages.append((name, edits, OffsetMap(spans=_NO_SPANS)))
    result.text = current
    return result


_NO_SPANS = ((), (), ())  # an OffsetMap's spans when a step made no edit


def repair_many(texts: list[str]) -> list[RepairResult]:
    """`repair(text)` of each text, step by step over all of them (each step's dictionaries and patterns
    stay in the processor's caches while it runs over the batch; on a large batch this is faster than a
    text at a time, OpenCC's conversion most of all). The results are those `repair` gives."""
    results = [RepairResult(original=text, text=text) for text in texts]
    current = list(texts)
    for name, find in STEPS:
        runner = RUNNERS.get(name)
        for i, text in enumerate(current):
            if runner is not None:
                out, edits, omap = runner(text)
            else:
                edits = find(text)
                out, omap = apply_edits(text, edits), OffsetMap(edits)
            results[i].stages.append((name, edits, omap))
            current[i] = out
    for result, text in zip(results, current, strict=True):
        result.text = text
    return results


def warm_up() -> None:
    """Build the tables the steps load on first use (GBK pairs, the word list, the pinyin index,
    OpenCC): about a second once per process. A worker may call it at start so that the first report
    does not pay for it; a benchmark calls it so that it times the work per report, not the loading."""
    from . import charlm, gbk, lexicon

    gbk._pair_tables()
    gbk._level2_re()
    gbk._rare_source_re()
    lexicon._word_logs()
    lexicon._char_table()
    gbk.warm_up()
    lexicon._pair_neighbours()
    lexicon._neighbour_sets()
    charlm.warm_up()
    steps._loose_index()
    # the characters read like each reading up to tones (asked for each aid a lost byte is read with)
    for reading in {r for readings in steps._readings_table().values() for r in readings}:
        steps.chars_read_as(reading)
    steps._opencc()
    steps._converter()
    steps._code_tables()
    steps._rare_chars()
