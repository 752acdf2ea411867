"""OpenCC's t2s conversion, done character by character where OpenCC's phrase table has no say (ADR 0020).

OpenCC converts a text by its longest match at each place: a phrase of its phrase table (`TSPhrases`: 477 phrases
of 2-10 characters in OpenCC 1.4, 沈澱 -> 沉淀, 乾隆 kept), else one character of its character tables. Where no
phrase of the table stands anywhere in the text (every text the first pass converts in the benchmark corpus), each
character converts as it converts alone: the conversion is a table look-up per character. This module reads
OpenCC's own tables (the `.ocd2` files its configuration names, marisa tries read with `marisa-trie`), notes the
first character of every phrase, and converts a text with no phrase in it by a numpy look-up (a long text) or
`str.translate` (a short one); any other text, one whose phrases OpenCC must weigh, goes to OpenCC as before. The
table of single characters is OpenCC's own answer for each character its tables hold, asked once at warm-up.

Exact by construction where it answers; `test_speedups32_t2s` compares it with OpenCC on every character alone, on
texts built around each phrase, on hypothesis texts and on the bench corpus. Without `marisa-trie`, or with an
OpenCC whose configuration this module does not know, `converter()` is OpenCC itself.
"""

import functools
import json
import os

# OpenCC's marisa dictionaries start with this header, then the trie (marisa's own format), then the values
_OCD2_HEADER = b"OPENCC_MARISA_0.2.5"
# a text shorter than _SHORT is converted with str.translate (no call into OpenCC), one of _LONG characters or more
# with numpy (a fixed cost of ~15 µs: a page), one between by OpenCC itself (numpy's path measured inside the pass
# costs ~45 µs a call there against OpenCC's ~35 µs, its code and table as cold: speed16)
_SHORT = 48
_LONG = 1000
_BMP = 0x10000


class _CharByChar:
    """`convert(text)`: OpenCC's t2s conversion of `text` (the same string), a look-up per character when no
    phrase of OpenCC's table stands in the text, else OpenCC's own call."""

    def __init__(self, opencc_converter, phrases: dict[str, tuple[str, ...]], single: dict[str, str], normal):
        import numpy as np

        self._opencc = opencc_converter
        self._phrases = phrases  # first character -> the phrases starting with it
        self._translate = {ord(k): v for k, v in single.items() if k != v}
        # the characters OpenCC must see wherever they stand: one its normalisation changes (the result may start
        # or continue a phrase), one it turns into other than one character (the numpy table holds one for one),
        # a lone surrogate (OpenCC cannot encode it and raises: the same error is raised)
        others = set(normal) | {chr(c) for c in range(0xD800, 0xE000)}
        others |= {chr(k) for k, v in self._translate.items() if len(v) != 1}
        # a character of the BMP whose conversion alone is beyond it (the table below holds UTF-16 code units)
        others |= {chr(k) for k, v in self._translate.items() if k < _BMP and len(v) == 1 and ord(v) >= _BMP}
        self._others = frozenset(others)
        # and with them, a text holding none of these converts character by character
        self._special = frozenset(set(phrases) | others)
        firsts = sorted(set(phrases) - others)
        seconds = sorted({p[1] for ps in phrases.values() for p in ps})
        # one row of four 16-bit numbers per character of the BMP (8 bytes: a row is read with one cache miss, where
        # three tables by code point took three; the pass's other steps evict them between pages): the character's
        # conversion alone; its number among the phrases' first characters (0 for none, one past them for the
        # others); its number among their second characters; 0. A text beyond the BMP goes to OpenCC.
        rows = np.zeros((_BMP, 4), dtype=np.uint16)
        rows[:, 0] = np.arange(_BMP, dtype=np.uint32)
        for k, v in self._translate.items():
            if k < _BMP and len(v) == 1 and ord(v) < _BMP:
                rows[k, 0] = ord(v)
        rows[[ord(c) for c in firsts if ord(c) < _BMP], 1] = [
            n for n, c in enumerate(firsts, 1) if ord(c) < _BMP
        ]
        rows[[ord(c) for c in others if ord(c) < _BMP], 1] = (
            len(firsts) + 1
        )  # (their row of `pairs` is all True)
        rows[[ord(c) for c in seconds if ord(c) < _BMP], 2] = [
            n for n, c in enumerate(seconds, 1) if ord(c) < _BMP
        ]
        # (first character's number, second's) -> a phrase starts so, or OpenCC must see the character
        pairs = np.zeros((len(firsts) + 2, len(seconds) + 1), dtype=bool)
        pairs[-1] = True
        second_no = {c: n for n, c in enumerate(seconds, 1)}
        for n, first in enumerate(firsts, 1):
            for p in phrases[first]:
                pairs[n, second_no[p[1]]] = True
        # (read as one 64-bit number a row: a gather of whole rows, then views of its columns)
        self._rows, self._rows64, self._pairs = rows, rows.view(np.uint64).ravel(), pairs
        self._np = np
        # for `convert_around`: the phrases' first two characters, and by each character the characters a phrase
        # may start with after it or before it
        self._starts = frozenset(p[:2] for ps in phrases.values() for p in ps)
        after: dict[str, set[str]] = {}
        before: dict[str, set[str]] = {}
        for start in self._starts:
            after.setdefault(start[0], set()).add(start[1])
            before.setdefault(start[1], set()).add(start[0])
        self._seconds_after = {k: frozenset(v) for k, v in after.items()}
        self._firsts_before = {k: frozenset(v) for k, v in before.items()}

    def convert(self, text: str) -> str:
        n = len(text)
        if n < _SHORT:
            return self._checked(text)
        if n < _LONG:
            return self._opencc.convert(text)
        found = self._by_rows(text)
        return self._opencc.convert(text) if found is None else found[0]

    def convert_codes(self, text: str):
        """(`convert(text)`, the text's UTF-16 code units, the converted text's) as numpy arrays of the same length,
        where the text is converted character by character with numpy (a long text with no phrase of OpenCC's in it,
        every character in the BMP on both sides); else (`convert(text)`, None, None). The t2s step reads where the
        texts differ from the arrays, with no second encoding of both texts."""
        if len(text) < _LONG:
            return self.convert(text), None, None
        found = self._by_rows(text)
        return (self._opencc.convert(text), None, None) if found is None else found

    def _by_rows(self, text: str):
        """(converted text, text's code units, converted code units) by the table of rows, or None where OpenCC must
        convert `text` (a phrase of its table, a character it must see, beyond the BMP, a lone surrogate)."""
        np = self._np
        n = len(text)
        try:
            data = text.encode("utf-16-le")
        except UnicodeEncodeError:  # a lone surrogate: OpenCC raises (its UTF-8 encoding)
            return None
        if len(data) != 2 * n or text[-1] in self._others:  # (a character beyond the BMP: two code units)
            return None
        codes = np.frombuffer(data, dtype=np.uint16)
        rows = self._rows64[codes].view(np.uint16).reshape(n, 4)
        # a phrase's first two characters side by side (only there can a phrase start), or one of the others
        first = rows[:-1, 1]
        at = np.flatnonzero(first)
        if at.size:
            at = at[self._pairs[first[at], rows[:, 2][at + 1]]]
            for i in at.tolist():
                if self._phrase_at(text, i):
                    return None
        out = rows[:, 0]
        return out.tobytes().decode("utf-16-le"), codes, out

    def convert_around(self, head: str, options: tuple[str, ...], tail: str) -> str:
        """`convert(head + (tail + "\\n" + head).join(options) + tail)`, the text the lexicon scores a lost byte's options
        in (`lexicon._plausibility_options`). Where every option is one character, no character of the text is one
        OpenCC must see and no two characters side by side are a phrase's first two (the pairs inside the head and
        the tail, the head's last character before each option, each option before the tail's first character: a
        line break is in no phrase), every character converts alone: the head, the tail and the options are
        converted once each with `str.translate`, not the head and tail once per option by OpenCC."""
        opts = "".join(options)
        others = self._others
        if (
            len(opts) != len(options)  # (with no empty option: each is one character)
            or not options
            or "" in options
            or not others.isdisjoint(opts)
            or not others.isdisjoint(head)
            or not others.isdisjoint(tail)
        ):
            return self.convert(head + (tail + "\n" + head).join(options) + tail)
        starts = self._starts
        if head:
            after = self._seconds_after.get(head[-1])
            if after is not None and not after.isdisjoint(opts):
                return self.convert(head + (tail + "\n" + head).join(options) + tail)
        if tail:
            before = self._firsts_before.get(tail[0])
            if before is not None and not before.isdisjoint(opts):
                return self.convert(head + (tail + "\n" + head).join(options) + tail)
        for fixed in (head, tail):
            for i in range(len(fixed) - 1):
                if fixed[i : i + 2] in starts:
                    return self.convert(head + (tail + "\n" + head).join(options) + tail)
        table = self._translate
        head, tail = head.translate(table), tail.translate(table)
        return head + (tail + "\n" + head).join(opts.translate(table)) + tail

    def _phrase_at(self, text: str, i: int) -> bool:
        """A phrase of the table starts at text[i], or text[i] is one of the others (OpenCC must see it)."""
        ch = text[i]
        if ch in self._others:
            return True
        phrases = self._phrases.get(ch)
        return phrases is not None and text.startswith(phrases, i)

    def _checked(self, text: str) -> str:
        """`convert(text)` for a short text (or one beyond the numpy path), with str.find and str.translate."""
        hits = self._special.intersection(text)
        if hits:
            if not self._others.isdisjoint(hits):
                return self._opencc.convert(text)
            for ch in hits:
                phrases = self._phrases[ch]
                i = text.find(ch)
                while i >= 0:
                    if text.startswith(phrases, i):
                        return self._opencc.convert(text)
                    i = text.find(ch, i + 1)
        return text.translate(self._translate)


def _ocd2_keys(path: str) -> list[str] | None:
    import marisa_trie

    with open(path, "rb") as fh:
        data = fh.read()
    if not data.startswith(_OCD2_HEADER):
        return None
    trie = marisa_trie.Trie()
    trie.frombytes(data[len(_OCD2_HEADER) :])
    return trie.keys()


def _dict_files(spec: dict, share: str) -> list[str] | None:
    """The `.ocd2` files of a dictionary entry of OpenCC's configuration (a group's in order), None for a kind
    this module does not read."""
    if spec.get("type") == "group":
        files = []
        for sub in spec.get("dicts", ()):
            found = _dict_files(sub, share)
            if found is None:
                return None
            files.extend(found)
        return files
    if spec.get("type") == "ocd2" and isinstance(spec.get("file"), str):
        return [os.path.join(share, spec["file"])]
    return None


def _tables(opencc_module, config: str):
    """(phrases by first character, every key of one character, normalisation keys) of OpenCC's configuration
    `config`, or None where it holds something this module does not read (then OpenCC converts every text)."""
    share = os.path.join(os.path.dirname(opencc_module.__file__), "clib", "share", "opencc")
    path = os.path.join(share, config)
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as fh:
        spec = json.load(fh)
    known = {"name", "normalization", "conversion_chain", "segmentation"}
    if set(spec) - known:
        return None
    normal_files, chain_files = [], []
    for entry in spec.get("normalization", ()):
        files = _dict_files(entry.get("dict", {}), share)
        if files is None:
            return None
        normal_files.extend(files)
    for entry in spec.get("conversion_chain", ()):
        files = _dict_files(entry.get("dict", {}), share)
        if files is None:
            return None
        chain_files.extend(files)
    seg = spec.get("segmentation")
    if seg is not None:
        files = _dict_files(seg.get("dict", {}), share)
        if files is None:
            return None
        chain_files.extend(files)
    if not chain_files:
        return None
    normal: set[str] = set()
    singles: set[str] = set()
    phrases: dict[str, set[str]] = {}
    for path in normal_files + chain_files:
        keys = _ocd2_keys(path)
        if keys is None:
            return None
        for key in keys:
            if len(key) == 1:
                (normal if path in normal_files else singles).add(key)
            elif key:
                phrases.setdefault(key[0], set()).add(key)
    if "\n" in singles or any("\n" in p for ps in phrases.values() for p in ps):
        return None  # (a line break ends every phrase: the probe below relies on it)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in phrases.items()}, singles, normal


@functools.cache
def converter():
    """The t2s converter of the repair and the lexicon: `convert(text)` as OpenCC's, faster where it can be."""
    import opencc

    base = opencc.OpenCC("t2s")
    try:
        found = _tables(opencc, "t2s.json")
    except ImportError:  # pragma: no cover - marisa-trie is a dependency
        return base
    if found is None:  # pragma: no cover - OpenCC's layout changed
        return base
    phrases, singles, normal = found
    chars = sorted(singles)
    # OpenCC's answer for each character of its tables, alone (a line break ends every phrase)
    converted = base.convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # pragma: no cover - OpenCC keeps line breaks
        return base
    return _CharByChar(base, phrases, dict(zip(chars, converted, strict=True)), normal)
