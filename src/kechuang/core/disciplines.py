"""The GB/T 13745-2009 discipline table (《学科分类与代码》): codes and names, read-only.

Experts, applications and review subjects store discipline *codes* (``460``, ``460.30``, ``460.3020``), so
that review.affinity can match them by prefix; people choose and read them by *name* ("机械工程 › 刀具技术").
The table is the national standard, not something an administrator edits: it ships as data
(core/data/gbt13745.csv: 62 first-level and 743 second-level entries with Chinese and English names, and
core/data/gbt13745_level3.csv: 2732 third-level entries with Chinese names only; see core/data/SOURCE.md) and
is read once per process. On English pages a third-level entry shows its English path and its Chinese name
marked "(Chinese name only)". A third-level code that is not in the table is shown by its known ancestors.

- `normalise(text)` — a code as stored (``46030`` → ``460.30``; spaces and a full-width dot removed).
- `get(code)` — the entry or None; `label(code)` — "机械工程 › 刀具技术" (English where known), or
  "未知学科（code）" for a code that is not in the table; `labels(codes)`.
- `resolve(text)` — the code a person meant by a code, a name, an English name or a path; None if unknown.
- `search(q)` — entries whose code, name, English name or pinyin (full or initials) match, best first.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _

from . import language
from .language import local_name

DATA = Path(__file__).resolve().parent / "data" / "gbt13745.csv"
DATA_LEVEL3 = DATA.with_name("gbt13745_level3.csv")
SEP = " › "
_CODE = re.compile(r"^(\d{3})(?:\.?(\d{2})(\d{2})?)?$")
_PATH_SEP = re.compile(r"\s*(?:›|>|/|／|－|—|-)\s*")


@dataclass(frozen=True)
class Discipline:
    code: str
    name_zh: str
    name_en: str = ""

    @property
    def level(self) -> int:
        return 1 if "." not in self.code else 2 if len(self.code) == 6 else 3

    @property
    def parent_code(self) -> str:
        return "" if self.level == 1 else self.code[:3] if self.level == 2 else self.code[:6]

    def name(self, english: bool | None = None) -> str:
        """The name in the active language: English where the table has one, else the Chinese name."""
        return local_name(self.name_zh, self.name_en, english=english)


@functools.cache
def table() -> dict[str, Discipline]:
    """Every entry by code, in the standard's order: each entry followed by the entries under it (both files
    read once per process; the codes sort in the standard's order)."""
    rows = []
    for data in (DATA, DATA_LEVEL3):
        with data.open(encoding="utf-8", newline="") as f:
            rows += [Discipline(r["code"], r["name_zh"], r["name_en"]) for r in csv.DictReader(f)]
    rows.sort(key=lambda d: d.code)
    return {d.code: d for d in rows}


def normalise(text) -> str:
    """A code as stored: ``46030`` / ``460 30`` / ``460．30`` → ``460.30``; anything else stripped only."""
    raw = re.sub(r"\s", "", str(text or "")).replace("．", ".").replace("。", ".")
    m = _CODE.match(raw)
    if not m:
        return raw
    head, l2, l3 = m.groups()
    return head + (f".{l2}{l3 or ''}" if l2 else "")


def get(code) -> Discipline | None:
    return table().get(normalise(code))


def path(code) -> list[Discipline]:
    """The known entries from the first level down to `code` (empty when even its first level is unknown)."""
    c = normalise(code)
    out = []
    for prefix in (c[:3], c[:6], c):
        d = table().get(prefix)
        if d is not None and d not in out:
            out.append(d)
    return out


def is_known(code) -> bool:
    return normalise(code) in table()


def _shown(d: Discipline, english: bool | None) -> str:
    """The entry's name for a label: on an English page, a name the table has only in Chinese (the third
    level) is marked so that a reader knows it is not an untranslated slip."""
    if english is None:
        english = language.english()
    if not english or d.name_en:
        return d.name(english)
    with translation.override("en"):
        return _("%(name)s（仅有中文名称）") % {"name": d.name_zh}


def label(code, *, english: bool | None = None) -> str:
    """What a person reads for a stored code: the names from the first level down ("数学 › 代数学",
    "机械工程 › 刀具技术 › 切削刀具"); a third-level code not in the table under a known entry reads as that
    entry's path and "下属三级学科"; an unknown code as "未知学科（code）" (the code stays visible so that
    staff can correct it)."""
    c = normalise(code)
    if not c:
        return ""
    known = path(c)
    if known and known[-1].code == c:
        return SEP.join(_shown(d, english) for d in known)
    if known and len(c) == 8 and known[-1].code == c[:6]:
        return _("%(path)s（下属三级学科）") % {"path": SEP.join(d.name(english) for d in known)}
    return _("未知学科（%(code)s）") % {"code": c}


def short_label(code, *, english: bool | None = None) -> str:
    """The entry's own name (no path), or what `label` says for a code not in the table."""
    d = get(code)
    return _shown(d, english) if d is not None else label(code, english=english)


def labels(codes, *, english: bool | None = None) -> list[str]:
    return [label(c, english=english) for c in codes or () if normalise(c)]


@functools.cache
def _by_name() -> dict[str, str]:
    """Chinese names, English names (lower case) and both languages' paths → code (the higher level wins a
    name two entries share, e.g. 心理语言学 is 740.30 before 190.1530; else the first in the standard)."""
    out: dict[str, str] = {}
    for d in sorted(table().values(), key=lambda d: d.level):
        for key in (d.name_zh, d.name_en.lower()):
            if key:
                out.setdefault(key, d.code)
        for eng in (False, True):
            out.setdefault(SEP.join(p.name(eng) for p in path(d.code)).lower(), d.code)
    return out


def resolve(text) -> str | None:
    """The code a person meant: a code of the table (in any of its spellings), a name (Chinese or English,
    with or without its path "数学 › 代数学" / "数学/代数学"), or a third-level code under a known
    second-level entry. None when it names nothing in the table."""
    raw = str(text or "").strip()
    if not raw:
        return None
    c = normalise(raw)
    if c in table():
        return c
    if _CODE.match(c) and len(c) == 8 and c[:6] in table():
        return c
    key = _PATH_SEP.sub(SEP, raw).lower()
    if key in _by_name():
        return _by_name()[key]
    return _by_name().get(raw.lower())


def name_shown(text, *, english: bool | None = None) -> str:
    """A discipline typed as its name (a platform's 学科领域) in the reader's language: on an English page the
    English name of the entry it names (化学工程 → Chemical Engineering), else the words as typed."""
    typed = str(text or "").strip()
    if english is None:
        english = language.english()
    if not english:
        return typed
    code = resolve(typed) or resolve(f"{typed}技术")  # 能源科学 for 能源科学技术, as people shorten it
    d = get(code) if code else None
    return d.name_en if d is not None and d.name_en else typed


def names_shown(values, *, english: bool | None = None) -> list[str]:
    """Each of `values` as `name_shown`, once."""
    return list(dict.fromkeys(s for s in (name_shown(v, english=english) for v in values or ()) if s))


@functools.cache
def _pinyin() -> dict[str, tuple[str, str]]:
    """code → (full pinyin without tones, initials), for finding 代数学 by "daishu" or "dsx"."""
    from pypinyin import Style, lazy_pinyin

    out = {}
    for d in table().values():
        syllables = [s for s in lazy_pinyin(d.name_zh, style=Style.NORMAL) if s.isalpha()]
        out[d.code] = ("".join(syllables).lower(), "".join(s[0] for s in syllables).lower())
    return out


@functools.cache
def _index() -> list[tuple[int, Discipline, str]]:
    """(position in the standard, entry, English name in lower case) for `search` (built once)."""
    return [(i, d, d.name_en.lower()) for i, d in enumerate(table().values())]


def search(q: str, *, limit: int = 20) -> list[Discipline]:
    """Entries matching the typed text, best first: an exact code or name, then names starting with it, then
    names, English names or pinyin containing it, then codes starting with it; higher levels before lower
    within each rank, then the standard's order."""
    q = (q or "").strip()
    if not q:
        return []
    ql = q.lower()
    code_q = normalise(q)
    digits = bool(re.fullmatch(r"[\d.\s．]+", q))
    latin = bool(re.fullmatch(r"[a-z\s]+", ql))
    qp = ql.replace(" ", "")
    pinyin = _pinyin() if latin else {}
    ranked = []
    for i, d, en in _index():
        if d.code == code_q or d.name_zh == q or en == ql:
            rank = 0
        elif d.name_zh.startswith(q) or (en and en.startswith(ql)):
            rank = 1
        elif q in d.name_zh or (en and ql in en):
            rank = 2
        elif latin and any(qp in p for p in pinyin[d.code]):
            rank = 3
        elif digits and (d.code.startswith(code_q) or d.code.replace(".", "").startswith(code_q)):
            rank = 4
        else:
            continue
        ranked.append((rank, d.level, i, d))
    ranked.sort(key=lambda t: t[:3])
    return [t[3] for t in ranked[:limit]]


_LIST_SEP = re.compile(r"[\n\r,，;；]+")


def parse_list(text) -> tuple[list[str], list[str]]:
    """Codes named by a typed or imported list (codes, names or paths separated by commas, semicolons, new
    lines or 、), without repeats, and the items that name nothing. A name holding 、 ("畜牧、兽医科学") is
    kept whole: pieces split at 、 are joined again while the longer piece names an entry."""
    if isinstance(text, list | tuple):
        text = "\n".join(str(t) for t in text if t is not None)
    codes: list[str] = []
    unknown: list[str] = []
    for chunk in _LIST_SEP.split(str(text or "")):
        chunk = chunk.strip()
        if not chunk:
            continue
        whole = resolve(chunk)
        if whole is not None:
            pieces = [(chunk, whole)]
        else:
            parts = [p.strip() for p in re.split(r"[、]", chunk) if p.strip()]
            pieces, i = [], 0
            while i < len(parts):
                # the longest run of pieces from i that names an entry; else the single piece, unknown
                for j in range(len(parts), i, -1):
                    code = resolve("、".join(parts[i:j]))
                    if code is not None:
                        pieces.append(("、".join(parts[i:j]), code))
                        i = j
                        break
                else:
                    pieces.append((parts[i], None))
                    i += 1
        for piece, code in pieces:
            if code is None:
                if piece not in unknown:
                    unknown.append(piece)
            elif code not in codes:
                codes.append(code)
    return codes, unknown
