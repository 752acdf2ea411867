"""A forward model of how report pages get damaged (DOMAIN.md, "Reports as they are found"), seeded.

    from forward import corrupt          # benchmarks/ingest on sys.path (see corpus_eval.load_forward)
    damaged = corrupt(clean_text, seed=3, commas=True, places=["青川", "临江"])
    damaged.text        # the page as the site shows it
    damaged.reference   # what a perfect repair can give back: the clean text with the lost spans marked
    damaged.kinds       # Counter of the damage done, by kind (see KINDS)

What the site does, in order (each choice is drawn per document from the seed):

1. Redactions on the clean text: some occurrences of the report's place names become `**`, sometimes a
   two-character word becomes `_` (the reference has `〔隐去〕` there).
2. The site's notices: a span in the middle is cut and replaced by a line
   `……(新文秘网http://m.120pk.cn省略N字，正式会员可完整阅读)……`; often the page is truncated and ends with
   ` ……(未完，全文共T字，当前仅显示S字，请阅读下面提示信息。\\n收藏《title》)` (reference: `〔缺失N字〕`).
   Now and then a long line is broken mid-sentence.
3. Traditional characters: OpenCC s2tw (like the sample: 為, 臺; word-dependent 標誌著) or s2t on a share of
   the sentences (all of them in about half the documents). Characters outside GBK stay simplified.
4. GBK bytes, then byte-level find-and-replace, so that a match straddling two characters lands inside
   one: (a) in some documents full-width marks become ASCII (，→, ；→; ！→! ...; the sample's `!靶⌒突`);
   (b) a fixed per-document list of characters gets a reading aid `(pīnyīn)` (the character's default
   reading with tone marks, pypinyin) after every occurrence of its bytes; the list holds common characters
   and, at a rate per KB, characters whose bytes straddle two real characters somewhere in this page;
   (c) with `commas=True`, a comma `，` is inserted before every occurrence of some punctuation marks
   (`，、` `，。` `，；` `，”` `，：` `，，`), before or after (a) (so `,。` or `，。`).
5. Decoding as the site's decoder does it (one per document): an orphaned lead byte (a lead byte followed
   by a byte that cannot be a trail, e.g. the `(` of an aid) is dropped (the sample), shown as U+FFFD, or
   shown as `?` together with the byte after it (`?guī)熘`); a valid but unmapped pair is dropped or shown
   as `?`/U+FFFD. After a misplaced insert the decoder reads one byte out of step until an ASCII byte
   (often the trail byte of a traditional character, e.g. the `x` of 離 = EB 78) brings it back in step.

Everything is deterministic for a given (clean text, seed, options).
"""

from __future__ import annotations

import random
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

REDACTED = "〔隐去〕"
GAP = "〔缺失%d字〕"

KINDS = (
    "traditional",  # characters converted to traditional forms
    "reading_aid",  # an aid after its own character
    "aid_inside_char",  # an aid landed between a character's two bytes (out of step after it)
    "ascii_mark",  # a full-width mark replaced by its ASCII form
    "mark_inside_char",  # ... where the replaced bytes straddled two characters
    "comma",  # a comma inserted before a punctuation mark
    "comma_inside_char",  # ... inside a character
    "lost_byte",  # an orphaned lead byte or an unmapped pair dropped / shown as ? or U+FFFD
    "notice_omitted",  # a span cut and replaced by the site's notice
    "notice_unfinished",  # the page truncated with the site's "未完" notice
    "redaction_place",  # ** for a place name
    "redaction_word",  # _ for a word
    "line_break",  # a line broken mid-sentence
)

_HAN = re.compile(r"[\u4e00-\u9fff]")
_PUNCT_FOR_COMMAS = ["、", "。", "；", "”", "：", "，"]
_ASCII_MARKS = {"，": ",", "；": ";", "：": ":", "！": "!", "？": "?", "（": "(", "）": ")"}
_SITE = "新文秘网http://m.120pk.cn"


@dataclass
class Damaged:
    text: str
    reference: str
    kinds: Counter = field(default_factory=Counter)
    params: dict = field(default_factory=dict)
    lost: list[tuple[int, int]] = field(default_factory=list)  # clean-text spans the page does not hold

    def lost_at(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.lost)


@cache
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


@cache
def _gbk_ok(ch: str) -> bool:
    try:
        ch.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


@cache
def _aid(ch: str) -> str | None:
    from pypinyin import Style, lazy_pinyin

    reading = lazy_pinyin(ch, style=Style.TONE)[0]
    if reading == ch or not reading.isalpha() or not all(map(_gbk_ok, reading)):
        return None
    return reading


def _rng(clean: str, seed: int, salt: str) -> random.Random:
    return random.Random(f"{zlib.crc32(clean.encode('utf-8'))}:{seed}:{salt}")


def _weighted_sample(rng: random.Random, items: list, weights: list, k: int) -> list:
    items, weights, out = list(items), list(weights), []
    for _ in range(min(k, len(items))):
        i = rng.choices(range(len(items)), weights=weights)[0]
        out.append(items.pop(i))
        weights.pop(i)
    return out


def _draw_params(rng: random.Random, commas: bool | None) -> dict:
    return {
        "s2t_config": rng.choices(["s2tw", "s2t"], weights=[3, 2])[0],
        "trad_share": 1.0 if rng.random() < 0.5 else round(rng.uniform(0.5, 0.95), 2),
        "ascii_marks": rng.random() < 0.6,
        "commas": (rng.random() < 0.5) if commas is None else commas,
        "comma_marks": _weighted_sample(rng, _PUNCT_FOR_COMMAS, [3, 1, 3, 3, 3, 1], rng.randint(1, 3)),
        "commas_before_ascii": rng.random() < 0.4,
        "aid_count": rng.randint(12, 30),
        "straddle_per_kb": round(rng.uniform(0.4, 1.2), 2),
        "decoder": rng.choices(["drop", "qmark", "replace"], weights=[4, 4, 2])[0],
        "omit": rng.random() < 0.6,
        "truncate": rng.random() < 0.5,
        "redact_places": rng.random() < 0.7,
        "redact_word": rng.random() < 0.4,
        "line_breaks": rng.randint(0, 2),
    }


# ----------------------------------------------------------------------------- text-level damage


class _Text:
    """The page text being built, with the reference (what a repair can know) and the lost clean spans."""

    def __init__(self, clean: str):
        # pieces: (page text, reference text, clean start, clean end, kind) - kind None for plain text
        self.pieces: list[list] = [[clean, clean, 0, len(clean), None]]

    def replace(self, clean_start: int, clean_end: int, page: str, reference: str, kind: str) -> bool:
        """Replace a span of the clean text (still plain) by `page` text; False when it is not plain."""
        for i, (p, _r, s, e, k) in enumerate(self.pieces):
            if k is None and s <= clean_start and clean_end <= e:
                a, b = clean_start - s, clean_end - s
                new = []
                if a:
                    new.append([p[:a], p[:a], s, clean_start, None])
                new.append([page, reference, clean_start, clean_end, kind])
                if b < len(p):
                    new.append([p[b:], p[b:], clean_end, e, None])
                self.pieces[i : i + 1] = new
                return True
        return False

    def page(self) -> str:
        return "".join(p[0] for p in self.pieces)

    def reference(self) -> str:
        return "".join(p[1] for p in self.pieces)

    def lost(self) -> list[tuple[int, int]]:
        """Clean-text spans the page no longer holds (a broken line loses nothing)."""
        return [(s, e) for _p, _r, s, e, k in self.pieces if k is not None and k != "line_break"]


def _redact(t: _Text, clean: str, rng: random.Random, params: dict, places: list[str], kinds: Counter):
    if params["redact_places"] and places:
        share = rng.uniform(0.3, 1.0)
        for place in places:
            for m in re.finditer(re.escape(place), clean):
                if rng.random() < share and t.replace(m.start(), m.end(), "**", REDACTED, "redaction_place"):
                    kinds["redaction_place"] += 1
    if params["redact_word"]:
        # a two-character word between Chinese characters, away from figures
        spots = [
            m.start()
            for m in re.finditer(r"(?<=[\u4e00-\u9fff])[\u4e00-\u9fff]{2}(?=[\u4e00-\u9fff])", clean)
        ]
        rng.shuffle(spots)
        for s in spots[:1]:
            if t.replace(s, s + 2, "_", REDACTED, "redaction_word"):
                kinds["redaction_word"] += 1


def _notices(t: _Text, clean: str, rng: random.Random, params: dict, title: str, kinds: Counter) -> None:
    n = len(clean)
    if params["omit"] and n > 600:
        length = rng.randint(min(100, n // 8), max(120, n // 5))
        start = rng.randint(n // 5, n // 2)
        end = min(n - 1, start + length)
        omitted = len(re.sub(r"\s", "", clean[start:end]))
        page = f"\n……({_SITE}省略{omitted}字，正式会员可完整阅读)……\n"
        if t.replace(start, end, page, "\n" + GAP % omitted + "\n", "notice_omitted"):
            kinds["notice_omitted"] += 1
    if params["truncate"] and n > 600:
        start = rng.randint(int(n * 0.55), int(n * 0.85))
        total = len(re.sub(r"\s", "", clean))
        shown = total - len(re.sub(r"\s", "", clean[start:]))
        page = f" ……(未完，全文共{total}字，当前仅显示{shown}字，请阅读下面提示信息。\n收藏《{title}》)"
        if t.replace(start, n, page, GAP % (total - shown), "notice_unfinished"):
            kinds["notice_unfinished"] += 1
    for _ in range(params["line_breaks"]):
        # a long line broken between two Chinese characters
        spots = [m.start() for m in re.finditer(r"(?<=[\u4e00-\u9fff])(?=[\u4e00-\u9fff])", clean)]
        if spots:
            s = rng.choice(spots)
            if t.replace(s, s, "\n", "", "line_break"):
                kinds["line_break"] += 1


def _traditional(text: str, rng: random.Random, params: dict, kinds: Counter) -> str:
    """s2t on a share of the sentences; the site's notices always (their template is traditional)."""
    conv = _converter(params["s2t_config"])
    out = []
    for part in re.split(r"(?<=[。！？\n])", text):
        if not part:
            continue
        notice = _SITE in part or "全文共" in part or "收藏《" in part
        if notice or rng.random() < params["trad_share"]:
            conv_part = conv.convert(part)
            if len(conv_part) == len(part):
                conv_part = "".join(c if _gbk_ok(c) else o for c, o in zip(conv_part, part, strict=True))
                kinds["traditional"] += sum(a != b for a, b in zip(conv_part, part, strict=True))
                part = conv_part
        out.append(part)
    return "".join(out)


# ----------------------------------------------------------------------------- byte-level damage


class _Bytes:
    """GBK bytes with a flag per byte: 1 where a character (or an ASCII byte) starts."""

    def __init__(self, text: str):
        self.buf = bytearray()
        self.starts = bytearray()
        for ch in text:
            b = ch.encode("gbk", errors="replace")
            self.buf += b
            self.starts += b"\x01" + b"\x00" * (len(b) - 1)

    def replace(self, needle: bytes, make, kind: str, kinds: Counter) -> None:
        """Replace every occurrence of `needle` (left to right, not overlapping, like bytes.replace) by
        make(needle) -> (bytes, starts); counts aligned matches as `kind` and straddling ones as
        `<kind>_inside`."""
        buf, starts = self.buf, self.starts
        out, out_starts = bytearray(), bytearray()
        i = 0
        pos = buf.find(needle)
        while pos >= 0:
            out += buf[i:pos]
            out_starts += starts[i:pos]
            rep, rep_starts = make(needle, starts[pos : pos + len(needle)], bool(starts[pos]))
            out += rep
            out_starts += rep_starts
            kinds[kind if starts[pos] else kind + "_inside"] += 1
            i = pos + len(needle)
            pos = buf.find(needle, i)
        out += buf[i:]
        out_starts += starts[i:]
        self.buf, self.starts = out, out_starts

    def straddles(self) -> list[bytes]:
        """Two-byte sequences made of one character's last byte and the next character's first byte."""
        buf, starts = self.buf, self.starts
        found = []
        for i in range(1, len(buf) - 1):
            if starts[i + 1] and not starts[i] and buf[i + 1] >= 0x81:
                found.append(bytes(buf[i : i + 2]))
        return found


def _encoded(text: str) -> tuple[bytes, bytes]:
    b = bytearray()
    s = bytearray()
    for ch in text:
        e = ch.encode("gbk")
        b += e
        s += b"\x01" + b"\x00" * (len(e) - 1)
    return bytes(b), bytes(s)


def _ascii_marks(data: _Bytes, kinds: Counter) -> None:
    for full, ascii_ in _ASCII_MARKS.items():
        data.replace(full.encode("gbk"), lambda n, s, a, x=ascii_: (x.encode(), b"\x01"), "ascii_mark", kinds)


def _commas(data: _Bytes, params: dict, kinds: Counter) -> None:
    comma, comma_starts = _encoded("，")
    for mark in params["comma_marks"]:
        data.replace(
            mark.encode("gbk"),
            lambda n, s, a: (comma + n, comma_starts + s),
            "comma",
            kinds,
        )


def _aid_list(page: str, data: _Bytes, rng: random.Random, params: dict, clean: str) -> list[str]:
    """The page's fixed list of characters with a reading aid: common characters of the page (mostly
    ones the traditional conversion changed, like the sample's 結 創 統 發), plus characters whose bytes
    straddle two real characters somewhere in the page, at a rate per KB."""
    counts = Counter(c for c in page if _HAN.match(c) and _aid(c))
    changed = set(page) - set(clean)
    pool = [c for c, _n in counts.most_common(120)]
    trad = [c for c in pool if c in changed]
    plain = [c for c in pool if c not in changed]
    chosen: list[str] = []
    want = params["aid_count"]
    while len(chosen) < want and (trad or plain):
        src = trad if trad and (rng.random() < 0.85 or not plain) else plain
        chosen.append(src.pop(rng.randrange(min(len(src), 40))))
    # straddling characters
    options = []
    for pair in sorted(set(data.straddles())):
        try:
            ch = pair.decode("gbk")
        except UnicodeDecodeError:
            continue
        if _HAN.match(ch) and _aid(ch) and ch not in chosen:
            options.append(ch)
    rng.shuffle(options)
    rate = params["straddle_per_kb"]
    n_straddle = max(1, round(len(page) / 1000 * rate)) if rate else 0
    chosen += options[:n_straddle]
    return chosen


def _aids(data: _Bytes, chars: list[str], kinds: Counter) -> None:
    for ch in chars:
        aid, aid_starts = _encoded(f"({_aid(ch)})")
        data.replace(
            ch.encode("gbk"),
            lambda n, s, a, aid=aid, aid_starts=aid_starts: (n + aid, s + aid_starts),
            "reading_aid",
            kinds,
        )


@cache
def _pair(a: int, b: int) -> str | None:
    try:
        return bytes((a, b)).decode("gbk")
    except UnicodeDecodeError:
        return None


def site_decode(data: bytes, decoder: str, kinds: Counter | None = None) -> str:
    """Decode GBK bytes the way a site's decoder does, including its behaviour on broken bytes:
    `drop` (the sample): orphaned lead bytes and unmapped pairs vanish; `replace`: each becomes U+FFFD
    (the byte after an orphaned lead is read again); `qmark`: each becomes `?`, an orphaned lead byte
    taking the ASCII byte after it along (`(guī)` after a broken character reads `?guī)`)."""
    kinds = Counter() if kinds is None else kinds
    out = []
    i, n = 0, len(data)
    bad = {"drop": "", "replace": "\ufffd", "qmark": "?"}[decoder]
    while i < n:
        b = data[i]
        if b < 0x80:
            out.append(chr(b))
            i += 1
            continue
        nxt = data[i + 1] if i + 1 < n else None
        if b in (0x80, 0xFF) or nxt is None:
            out.append(bad)
            kinds["lost_byte"] += 1
            i += 1
            continue
        if 0x40 <= nxt <= 0xFE and nxt != 0x7F:
            ch = _pair(b, nxt)
            if ch is None:
                out.append(bad)
                kinds["lost_byte"] += 1
            else:
                out.append(ch)
            i += 2
            continue
        # an orphaned lead byte
        kinds["lost_byte"] += 1
        out.append(bad)
        i += 2 if decoder == "qmark" and nxt < 0x80 and nxt not in (0x0A, 0x0D) else 1
    return "".join(out)


# ----------------------------------------------------------------------------- the whole model


def corrupt(
    clean: str,
    seed: int,
    *,
    commas: bool | None = None,
    places: list[str] | tuple[str, ...] = (),
    title: str | None = None,
    **overrides,
) -> Damaged:
    """The page a site shows for `clean` (simplified Chinese, UTF-8 text). `commas` forces the comma
    insertion on or off (drawn from the seed when None); `places` are the place names a site may redact;
    `overrides` set any drawn parameter (see _draw_params)."""
    rng = _rng(clean, seed, "params")
    params = _draw_params(rng, commas)
    params.update(overrides)
    kinds: Counter = Counter()
    title = title if title is not None else clean.split("\n", 1)[0].strip()
    text = _Text(clean)
    _redact(text, clean, _rng(clean, seed, "redact"), params, list(places), kinds)
    _notices(text, clean, _rng(clean, seed, "notices"), params, title, kinds)
    page = _traditional(text.page(), _rng(clean, seed, "s2t"), params, kinds)
    data = _Bytes(page)
    if params["ascii_marks"] and not (params["commas"] and params["commas_before_ascii"]):
        _ascii_marks(data, kinds)
    aid_chars = _aid_list(page, data, _rng(clean, seed, "aids"), params, clean)
    params["aid_chars"] = "".join(aid_chars)
    _aids(data, aid_chars, kinds)
    if params["commas"]:
        _commas(data, params, kinds)
        if params["ascii_marks"] and params["commas_before_ascii"]:
            _ascii_marks(data, kinds)
    decoded = site_decode(bytes(data.buf), params["decoder"], kinds)
    for k in ("reading_aid", "ascii_mark", "comma"):
        if kinds[k + "_inside"]:
            inside = {"reading_aid": "aid_inside_char", "ascii_mark": "mark_inside_char"}.get(
                k, "comma_inside_char"
            )
            kinds[inside] += kinds.pop(k + "_inside")
    return Damaged(decoded, text.reference(), +kinds, params, text.lost())
