"""Build the corpus's clean texts and facts keys from the annotated sources, and check the keys.

    .venv/bin/python benchmarks/ingest/corpus/build_corpus.py          # rebuild dev/ … dev30/, dev31/, dev32/, dev33/, dev34/, dev35/, dev36/, dev37/, dev38/, dev39/, dev40/, dev41/, dev42/, dev43/, dev44/ and heldout/
    .venv/bin/python benchmarks/ingest/corpus/build_corpus.py --split dev2  # one split only
    .venv/bin/python benchmarks/ingest/corpus/build_corpus.py --check  # only check (exit 1 on a problem)

A source (`annotated/<split>/<id>.ann`) is a header (`key: value` lines), a line `---`, and the report's
text in which every figure a careful reader records is written as `[[figure|kind|subject]]` or
`[[figure|kind|subject|opt=..;opt=..]]` (options: `p` period, `q` qualifier, `v` value, `u` unit, when
they are not what the figure itself says; `place` another region the fact is about; `subjects=a/b/c` when one figure states the value of several
subjects, as in 均达到65%以上: one fact per subject). The builder writes `<split>/<id>.txt` (the text without the
marks) and `<split>/<id>.facts.json` (header + facts, each with its quote: the clause that holds the
figure, verbatim). It warns about numbers left in the text without a mark.

The checker (`check_key`, also run by tests/test_ingest_corpus.py) reads each fact's figure again with
`read_figure` and checks that the quote occurs verbatim in the clean text, the figure in the quote, and
the stored value, unit and qualifier are what the figure (and the options) say.

Output about held-out documents names the document and counts only, never a snippet of its text: whoever
tunes the pipeline must not read held-out text (README.md, "Split").
"""

from __future__ import annotations

import json
import re
import sys
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPLITS = (
    "dev",
    "dev2",
    "dev3",
    "dev4",
    "dev5",
    "dev6",
    "dev7",
    "dev8",
    "dev9",
    "dev10",
    "dev11",
    "dev12",
    "dev13",
    "dev14",
    "dev15",
    "dev16",
    "dev17",
    "dev18",
    "dev19",
    "dev20",
    "dev21",
    "dev22",
    "dev23",
    "dev24",
    "dev25",
    "dev26",
    "dev27",
    "dev28",
    "dev29",
    "dev30",
    "dev31",
    "dev32",
    "dev33",
    "dev34",
    "dev35",
    "dev36",
    "dev37",
    "dev38",
    "dev39",
    "dev40",
    "dev41",
    "dev42",
    "dev43",
    "dev44",
    "heldout",
)
# The splits whose text may be printed; held-out output names ids and counts only.
PRINTS_TEXT = tuple(s for s in SPLITS if s != "heldout")
KINDS = ("count", "money", "percent", "points", "rank", "date", "target", "level", "quantity")
HEADER_LIST_FIELDS = ("places", "own_units", "other_units")

_CN = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_SCALE = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "万亿": Decimal(10**12), "": Decimal(1)}
_FIGURE = re.compile(
    r"^(?P<rank>第)?(?P<num>\d+(?:\.\d+)?|[零一二两三四五六七八九十百千]+)"
    r"(?P<scale>万亿|万|亿)?(?P<q>余|多)?(?P<unit>.*)$"
)
_DATE = re.compile(r"^(?P<m>1[0-2]|[1-9])月(?P<d>3[01]|[12]\d|[1-9])日$")
UNIT_ALIASES = {"个百分点": "百分点", "℃": "摄氏度", "成": "%"}
_MARK = re.compile(r"\[\[([^\[\]|]+)\|([a-z]+)\|([^\[\]|]*)(?:\|([^\[\]]*))?\]\]")


def cn_number(s: str) -> Decimal:
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return Decimal(s)
    total, current = 0, 0
    for ch in s:
        if ch in _CN:
            current = _CN[ch]
        elif ch in _CN_UNIT:
            total += (current or 1) * _CN_UNIT[ch]
            current = 0
        else:
            raise ValueError(f"not a number: {s}")
    return Decimal(total + current)


def _plain(d: Decimal) -> str:
    d = d.normalize()
    return format(d, "f") if d == d.to_integral_value() or d.as_tuple().exponent < 0 else str(d)


def read_figure(figure: str, year: int) -> tuple[str, str, str]:
    """(value, unit, qualifier) a figure as written says: 3.6万项 → 36000 项; 1.5万余次 → 15000 次 余;
    4.2亿元 → 420000000 元; 七成 → 70 %; 0.26个百分点 → 0.26 百分点; 第19位 → 19 位; 5月24日 → 2023-05-24 date."""
    m = _DATE.match(figure)
    if m:
        return f"{year:04d}-{int(m['m']):02d}-{int(m['d']):02d}", "date", ""
    if figure in ("一半", "半数"):
        return "50", "%", ""
    if figure == "首位":  # 居全省首位: the first rank
        return "1", "位", ""
    m = _FIGURE.match(figure)
    if not m:
        raise ValueError(f"cannot read the figure {figure!r}")
    value = cn_number(m["num"]) * _SCALE[m["scale"] or ""]
    unit = m["unit"]
    if m["rank"]:
        unit = unit or "位"
    if unit == "成":
        value *= 10
    unit = UNIT_ALIASES.get(unit, unit)
    if unit.endswith("元") and unit != "元" and unit[:-1] in _SCALE:  # 万元, 亿元 written as the unit
        # (not 2,350万元, whose separator the pattern does not read: its mark gives value and unit)
        value *= _SCALE[unit[:-1]]
        unit = "元"
    return _plain(value), unit, m["q"] or ""


def _options(raw: str | None) -> dict:
    out = {}
    for part in (raw or "").split(";"):
        if part.strip():
            k, _, v = part.partition("=")
            out[k.strip()] = v.strip()
    return out


def parse_source(path: Path) -> tuple[dict, str, list[dict]]:
    raw = path.read_text(encoding="utf-8")
    head, _, body = raw.partition("\n---\n")
    header: dict = {}
    for line in head.splitlines():
        if line.strip():
            k, _, v = line.partition(":")
            header[k.strip()] = v.strip()
    for k in HEADER_LIST_FIELDS:
        header[k] = [x for x in header.get(k, "").split(",") if x]
    header["year"] = int(header["year"])
    body = body.strip("\n") + "\n"
    clean, facts, pos = [], [], 0
    out_len = 0
    for m in _MARK.finditer(body):
        clean.append(body[pos : m.start()])
        out_len += m.start() - pos
        figure, kind, subject, opts = m.group(1), m.group(2), m.group(3), _options(m.group(4))
        if kind not in KINDS:
            raise ValueError(f"{path.name}: unknown kind {kind} in {m.group(0)}")
        value, unit, qualifier = read_figure(figure, header["year"])
        fact = {
            "kind": kind,
            "subject": subject,
            "value": opts.get("v", value),
            "unit": opts.get("u", unit),
            "period": opts.get("p", str(header["year"])),
            "qualifier": opts.get("q", qualifier),
            "figure": figure,
            "start": out_len,
            "end": out_len + len(figure),
        }
        if opts.get("place"):
            # another region the fact is about (FACTS_KEY.md: `place`); absent: the report's own
            fact["place"] = opts["place"]
        clean.append(figure)
        out_len += len(figure)
        # one figure stating the same value of several subjects (均达到65%以上): one fact per subject
        for sub in opts.get("subjects", subject).split("/"):
            facts.append({**fact, "subject": sub})
        pos = m.end()
    clean.append(body[pos:])
    text = "".join(clean)
    if "[[" in text or "]]" in text:
        raise ValueError(f"{path.name}: a mark was not closed")
    for f in facts:
        s, e = f.pop("start"), f.pop("end")
        cs = max(text.rfind(d, 0, s) for d in "，。；：！？\n") + 1
        ce = min((x for x in (text.find(d, e) for d in "，。；！？\n") if x >= 0), default=len(text))
        f["quote"] = text[cs : ce + 1].strip() if ce < len(text) and text[ce] != "\n" else text[cs:ce].strip()
        f["offset"] = s
    return header, text, facts


# a Chinese numeral before a measure word, a scale, or 多/余/来 (六千多万, 三十余项, 一百六十来个)
_LEFTOVER = re.compile(
    r"\d+(?:\.\d+)?|(?:[二两三四五六七八九十百千]|一[十百千])[一二两三四五六七八九十百千]*"
    r"(?=[个家项台名种所座套件条篇位人场批次大成万亿多余]|来[个家项台名种所座套件条篇位人场批次万亿])"
)


def leftovers(text: str, facts: list[dict]) -> list[str]:
    """Numbers in the text that are not inside a fact's figure (years before 年 are periods, not facts)."""
    covered = [(f["offset"], f["offset"] + len(f["figure"])) for f in facts]
    out = []
    for m in _LEFTOVER.finditer(text):
        if any(s <= m.start() < e for s, e in covered):
            continue
        if re.fullmatch(r"(19|20)\d\d", m.group()) and text[m.end() : m.end() + 1] in "年-":
            continue
        out.append(text[max(0, m.start() - 8) : m.end() + 4])
    return out


def check_key(key: dict, text: str) -> list[str]:
    """Problems with a facts key against its clean text (empty when the key is sound)."""
    problems = []
    for k in ("id", "title", "region", "year", "genre", "facts"):
        if k not in key:
            problems.append(f"missing {k}")
    if not text.startswith(key.get("title", "\0")):
        problems.append("the text does not start with the title")
    for i, f in enumerate(key.get("facts", [])):
        where = f"fact {i} ({f.get('figure')})"
        if f.get("kind") not in KINDS:
            problems.append(f"{where}: kind {f.get('kind')}")
        if f["quote"] not in text:
            problems.append(f"{where}: quote not in the text")
        if f["figure"] not in f["quote"]:
            problems.append(f"{where}: figure not in the quote")
        if text[f["offset"] : f["offset"] + len(f["figure"])] != f["figure"]:
            problems.append(f"{where}: offset does not point at the figure")
        value, unit, qualifier = read_figure(f["figure"], key["year"])
        if f["value"] != value and not f.get("value_note"):
            problems.append(f"{where}: value {f['value']} but the figure says {value}")
        if f["unit"] != unit and not f.get("unit_note"):
            problems.append(f"{where}: unit {f['unit']} but the figure says {unit}")
        if qualifier and f["qualifier"] != qualifier:
            problems.append(f"{where}: qualifier {f['qualifier']} but the figure says {qualifier}")
        if not re.fullmatch(r"\d{4}", f["period"]):
            problems.append(f"{where}: period {f['period']}")
        if f["kind"] == "target" and int(f["period"]) < key["year"]:
            problems.append(f"{where}: a target for a year before the report's")
        try:
            Decimal(f["value"]) if f["unit"] != "date" else None
        except ArithmeticError:
            problems.append(f"{where}: value {f['value']} is not a number")
    for u in key.get("other_units", []):
        if u not in text:
            problems.append(f"other unit {u} not in the text")
    return problems


def build(check_only: bool = False, splits: tuple[str, ...] = SPLITS) -> int:
    bad = 0
    for split in splits:
        for src in sorted((HERE / "annotated" / split).glob("*.ann")):
            header, text, facts = parse_source(src)
            for f in facts:
                # values the options changed are kept with the reason the figure alone does not say it
                value, unit, _q = read_figure(f["figure"], header["year"])
                if f["value"] != value:
                    f["value_note"] = "value given by the text around the figure"
                if f["unit"] != unit:
                    f["unit_note"] = "unit given by the text around the figure"
            key = {**header, "split": split, "chars": len(re.sub(r"\s", "", text)), "facts": facts}
            problems = check_key(key, text)
            bad += bool(problems)
            left = leftovers(text, facts)
            if split in PRINTS_TEXT:
                for p in problems:
                    print(f"{split}/{src.stem}: {p}")
                for snippet in left:
                    print(f"{split}/{src.stem}: number without a fact: …{snippet}…")
            elif problems:
                # held-out documents are named by id and counts only: nobody tuning the pipeline reads their text
                print(f"{split}/{src.stem}: {len(problems)} problem(s) in the key (held out: text not shown)")
            if check_only:
                on_disk = json.loads((HERE / split / f"{src.stem}.facts.json").read_text(encoding="utf-8"))
                if on_disk != key or (HERE / split / f"{src.stem}.txt").read_text(encoding="utf-8") != text:
                    print(f"{split}/{src.stem}: built files differ from the source; rebuild")
                    bad += 1
                continue
            (HERE / split).mkdir(exist_ok=True)
            (HERE / split / f"{src.stem}.txt").write_text(text, encoding="utf-8")
            (HERE / split / f"{src.stem}.facts.json").write_text(
                json.dumps(key, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
    return bad


if __name__ == "__main__":
    # --split NAME: build (or check) that split only
    only = tuple(sys.argv[sys.argv.index("--split") + 1 :][:1]) if "--split" in sys.argv else SPLITS
    sys.exit(1 if build(check_only="--check" in sys.argv, splits=only) else 0)
