"""Excel/CSV import and export of the map: one row per technology.

The export writes the same columns the import reads, so a downloaded file can be edited and uploaded
again. `parse_row` is pure (no database); `map_import` validates every row, reports each bad one with its
line, and writes only when the whole file is clean, in one transaction.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kechuang.core.choices import labels_to_codes
from kechuang.core.display import yes_no
from kechuang.core.excel import Headings, ImportReport, Row, RowError, read_table
from kechuang.core.exceptions import PermissionDenied
from kechuang.core.messages import Message, label

from .models import Chain, ChainLink, Technology, TrlRecord

# The format's headings in both languages, by field, fixed here (not through the catalogue, so a changed
# translation never breaks a file): a file headed in either is read, column by column; the export (the format
# itself), the template, the import page and the refusals use the reader's (docs/adr/0019). The cells mean the
# same under either heading: a chain, link or technology by its Chinese name (the English one beside it), a
# stage, state or level by its label in either language.
# The three English names are optional: a blank cell keeps the name already stored (a file from before these
# columns erases nothing).
FIELDS_ZH = {
    "chain": "产业链",
    "chain_en": "产业链（英文）",
    "stage": "环节位置",
    "link": "环节",
    "link_en": "环节（英文）",
    "name": "技术名称",
    "name_en": "技术名称（英文）",
    "description": "描述",
    "bottleneck": "卡脖子",
    "substitution": "进口替代状态",
    "level": "技术水平",
    "supply": "本地配套率(%)",
    "baseline": "基线TRL",
    "baseline_on": "基线日期",
    "current": "当前TRL",
    "current_on": "当前日期",
    "target": "目标TRL",
    "target_on": "目标日期",
    "note": "内部备注",
}
FIELDS_EN = {
    "chain": "Industry chain",
    "chain_en": "Industry chain in English",
    "stage": "Position",
    "link": "Link",
    "link_en": "Link in English",
    "name": "Technology",
    "name_en": "Technology in English",
    "description": "Description",
    "bottleneck": "Chokepoint",
    "substitution": "Import substitution",
    "level": "Technology level",
    "supply": "Local supply (%)",
    "baseline": "Baseline TRL",
    "baseline_on": "Baseline date",
    "current": "Current TRL",
    "current_on": "Current date",
    "target": "Target TRL",
    "target_on": "Target date",
    "note": "Internal note",
}
HEADINGS = Headings(FIELDS_ZH, FIELDS_EN)
# The columns' headings in the reader's language (`english` overrides it), by field.
headings = HEADINGS.local
COLUMNS = list(FIELDS_ZH.values())  # the Chinese file's header row
COL_TRL = {
    TrlRecord.Kind.BASELINE: ("baseline", "baseline_on"),
    TrlRecord.Kind.CURRENT: ("current", "current_on"),
    TrlRecord.Kind.TARGET: ("target", "target_on"),
}
REQUIRED = ["chain", "stage", "link", "name"]

EN_LIMITS = (("chain_en", 200), ("link_en", 200), ("name_en", 300))
TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "卡脖子"}
FALSE_WORDS = {"否", "n", "no", "false", "0", ""}


@dataclass(frozen=True)
class ParsedRow:
    line: int
    chain: str
    stage: str
    link: str
    name: str
    description: str
    is_bottleneck: bool
    substitution: str
    level: str
    local_supply_pct: Decimal | None
    trl: dict  # kind -> (value, date) for the kinds given
    internal_note: str
    chain_en: str = ""
    link_en: str = ""
    name_en: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.chain, self.link, self.name)


def _text(values: dict, col: str) -> str:
    v = values.get(col)
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def parse_date(value) -> datetime.date | None:
    """A date from an Excel cell or text (2024-05-01, 2024/5/1, 2024.5.1, 2024年5月1日); None when blank.

    Raises ValueError on anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    text = text.split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2} \d", text) else text
    m = DATE_RE.match(text)
    if not m:
        raise ValueError(text)
    return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def parse_trl(value) -> int | None:
    """A TRL 1..9 from a cell ("6", 6, 6.0, "TRL6"); None when blank. Raises ValueError otherwise."""
    if value is None:
        return None
    text = str(value).strip().upper().removeprefix("TRL").strip()
    if not text:
        return None
    number = float(text)
    if not number.is_integer() or not 1 <= number <= 9:
        raise ValueError(text)
    return int(number)


def parse_row(row: Row, *, today: datetime.date) -> tuple[ParsedRow | None, list[RowError]]:
    """One sheet row → a ParsedRow, or every error of the row with its line and column (named in the reader's
    language)."""
    v = HEADINGS.cells(row)
    named = headings()
    errors: list[RowError] = []

    def err(col, message):
        errors.append(RowError(row.line, message, named[col]))

    for col in REQUIRED:
        if not _text(v, col):
            err(col, Message(gettext_noop("不能为空")))
    stages = labels_to_codes(ChainLink.Stage)
    stage = stages.get(_text(v, "stage").lower(), "")
    if _text(v, "stage") and not stage:
        err("stage", Message(gettext_noop("应为 上游、中游 或 下游")))
    flag = _text(v, "bottleneck").lower()
    if flag not in TRUE_WORDS | FALSE_WORDS:
        err("bottleneck", Message(gettext_noop("应为 是 或 否")))
    subst_map = labels_to_codes(Technology.Substitution)
    subst_text = _text(v, "substitution").lower()
    substitution = subst_map.get(subst_text, "") if subst_text else Technology.Substitution.NOT_APPLICABLE
    if not substitution:
        err("substitution", Message(gettext_noop("未知的进口替代状态“%(v)s”"), v=_text(v, "substitution")))
    level_map = labels_to_codes(Technology.Level)
    level_text = _text(v, "level").lower()
    level = level_map.get(level_text, None) if level_text else ""
    if level is None:
        err("level", Message(gettext_noop("应为 国际领先、国内领先 或 跟跑")))
        level = ""
    supply = None
    supply_text = _text(v, "supply").rstrip("%").strip()
    if supply_text:
        try:
            supply = Decimal(supply_text).quantize(Decimal("0.1"))
            if not 0 <= supply <= 100:
                raise InvalidOperation
        except InvalidOperation:
            err("supply", Message(gettext_noop("应为 0 到 100 之间的数")))
            supply = None
    trl = {}
    for kind, (col_value, col_date) in COL_TRL.items():
        try:
            value = parse_trl(v.get(col_value))
        except ValueError:
            err(col_value, Message(gettext_noop("TRL 应为 1 到 9 的整数")))
            continue
        try:
            day = parse_date(v.get(col_date))
        except ValueError:
            err(col_date, Message(gettext_noop("日期格式应为 YYYY-MM-DD")))
            continue
        if value is None and day is not None:
            err(col_value, Message(gettext_noop("填写了日期但没有填写 TRL")))
            continue
        if value is not None:
            trl[kind] = (value, day or today)
    if (
        TrlRecord.Kind.BASELINE in trl
        and TrlRecord.Kind.TARGET in trl
        and trl[TrlRecord.Kind.TARGET][0] < trl[TrlRecord.Kind.BASELINE][0]
    ):
        err(COL_TRL[TrlRecord.Kind.TARGET][0], Message(gettext_noop("目标TRL不能低于基线TRL")))
    for col, limit in (("chain", 100), ("link", 100), ("name", 200), *EN_LIMITS):
        if len(_text(v, col)) > limit:
            err(col, Message(gettext_noop("超过 %(n)d 个字"), n=limit))
    if errors:
        return None, errors
    return (
        ParsedRow(
            line=row.line,
            chain=_text(v, "chain"),
            stage=stage,
            link=_text(v, "link"),
            name=_text(v, "name"),
            description=_text(v, "description"),
            is_bottleneck=flag in TRUE_WORDS,
            substitution=substitution,
            level=level,
            local_supply_pct=supply,
            trl=trl,
            internal_note=_text(v, "note"),
            chain_en=_text(v, "chain_en"),
            link_en=_text(v, "link_en"),
            name_en=_text(v, "name_en"),
        ),
        [],
    )


def map_import(*, actor, data: bytes, filename: str, dry_run: bool = True, progress=None) -> ImportReport:
    """Validate a sheet of technologies and, when every row is clean and `dry_run` is False, write it
    in one transaction: missing chains (unpublished) and links are created, existing technologies are
    updated, and each changed TRL value becomes a dated record."""
    from . import permissions, services

    if not permissions.can_edit_map(actor):
        raise PermissionDenied(services.NOT_STAFF)
    named = headings()
    # each required column under either heading; a missing one is named in the reader's language
    rows = read_table(data, filename, required=HEADINGS.required(REQUIRED))
    report = ImportReport(total=len(rows), dry_run=dry_run)
    today = timezone.localdate()
    parsed: list[ParsedRow] = []
    seen: dict[tuple, int] = {}
    tick = progress or (lambda done, total: None)  # progress(done, total): checking, then writing
    steps = len(rows) * (1 if dry_run else 2) or 1
    for i, row in enumerate(rows, start=1):
        tick(i, steps)
        p, errors = parse_row(row, today=today)
        report.errors.extend(errors)
        if p is None:
            continue
        if p.key in seen:
            report.errors.append(
                RowError(
                    p.line,
                    Message(gettext_noop("与第%(n)d行重复（同一产业链、环节、技术）"), n=seen[p.key]),
                    named["name"],
                )
            )
            continue
        seen[p.key] = p.line
        parsed.append(p)
    # Checks against the database: a link must keep its stage.
    links = {(lk.chain.name, lk.name): lk for lk in ChainLink.objects.select_related("chain")}
    file_stage: dict[tuple, tuple[str, int]] = {}
    for p in parsed:
        existing = links.get((p.chain, p.link))
        if existing and existing.stage != p.stage:
            report.errors.append(
                RowError(
                    p.line,
                    Message(
                        gettext_noop("环节“%(link)s”已登记为%(stage)s"),
                        link=p.link,
                        stage=label(existing, "stage"),
                    ),
                    named["stage"],
                )
            )
        first = file_stage.setdefault((p.chain, p.link), (p.stage, p.line))
        if first[0] != p.stage:
            report.errors.append(
                RowError(
                    p.line, Message(gettext_noop("与第%(n)d行的环节位置不一致"), n=first[1]), named["stage"]
                )
            )
    report.errors.extend(_english_conflicts(parsed))
    techs = {
        (t.link.chain.name, t.link.name, t.name): t for t in Technology.objects.select_related("link__chain")
    }
    for p in parsed:
        if p.key not in techs:
            report.created += 1
        elif any(_changes(techs[p.key], p)):
            report.updated += 1
    report.errors.sort(key=lambda e: (e.line, e.field))
    if dry_run or report.errors:
        return report
    with transaction.atomic():
        chains = {c.name: c for c in Chain.objects.all()}
        for i, p in enumerate(parsed, start=1):
            tick(len(rows) + i, steps)
            chain = chains.get(p.chain)
            if chain is None:
                chain = chains[p.chain] = services.chain_create(actor=actor, name=p.chain, name_en=p.chain_en)
            elif p.chain_en and chain.name_en != p.chain_en:
                chain = chains[p.chain] = services.chain_update(
                    actor=actor, chain=chain, name_en=p.chain_en, reason=_("Excel 导入")
                )
            link = links.get((p.chain, p.link))
            if link is None:
                link = links[(p.chain, p.link)] = services.link_create(
                    actor=actor, chain=chain, stage=p.stage, name=p.link, name_en=p.link_en
                )
            elif p.link_en and link.name_en != p.link_en:
                link = links[(p.chain, p.link)] = services.link_update(
                    actor=actor, link=link, name_en=p.link_en, reason=_("Excel 导入")
                )
            tech = techs.get(p.key)
            if tech is None:
                services.technology_create(actor=actor, link=link, name=p.name, trl=p.trl, **_fields(p))
                continue
            changed, trl = _changes(tech, p)
            if changed:  # unchanged rows cost no validation queries
                services.technology_update(actor=actor, technology=tech, reason=_("Excel 导入"), **changed)
            for kind, (value, day) in trl.items():
                services.trl_record(
                    actor=actor, technology=tech, kind=kind, value=value, as_of=day, note=_("Excel 导入")
                )
    report.committed = True
    return report


def _english_conflicts(parsed: list[ParsedRow]) -> list[RowError]:
    """Rows that give one chain or one link two different English names."""
    errors, first, named = [], {}, headings()
    for p in parsed:
        for key, value, col in (
            ((p.chain,), p.chain_en, "chain_en"),
            ((p.chain, p.link), p.link_en, "link_en"),
        ):
            if not value:
                continue
            seen = first.setdefault(key, (value, p.line))
            if seen[0] != value:
                errors.append(
                    RowError(
                        p.line, Message(gettext_noop("与第%(n)d行的英文名称不一致"), n=seen[1]), named[col]
                    )
                )
    return errors


def _fields(p: ParsedRow) -> dict:
    english = {"name_en": p.name_en} if p.name_en else {}  # a blank cell keeps the stored English name
    return {
        **english,
        "description": p.description,
        "is_bottleneck": p.is_bottleneck,
        "substitution": p.substitution,
        "level": p.level,
        "local_supply_pct": p.local_supply_pct,
        "internal_note": p.internal_note,
    }


def _changes(tech: Technology, p: ParsedRow) -> tuple[dict, dict]:
    """(fields that differ, TRL kinds whose value or date differs) between a technology and a row."""
    from .services import TRL_KINDS

    fields = {k: v for k, v in _fields(p).items() if getattr(tech, k) != v}
    trl = {}
    for kind, (value, day) in p.trl.items():
        value_field, date_field = TRL_KINDS[kind]
        if (getattr(tech, value_field), getattr(tech, date_field)) != (value, day):
            trl[kind] = (value, day)
    return fields, trl


def export_row(t: Technology, *, internal: bool) -> list:
    """The cells of one technology, in COLUMNS order."""
    return [
        t.link.chain.name,
        t.link.chain.name_en,
        t.link.get_stage_display(),
        t.link.name,
        t.link.name_en,
        t.name,
        t.name_en,
        t.description,
        yes_no(t.is_bottleneck),  # 是/否, Yes/No in English: read back in either
        t.get_substitution_display(),
        t.get_level_display() if t.level else "",
        float(t.local_supply_pct) if t.local_supply_pct is not None else None,
        t.trl_baseline,
        t.trl_baseline_on.isoformat() if t.trl_baseline_on else "",
        t.trl_current,
        t.trl_current_on.isoformat() if t.trl_current_on else "",
        t.trl_target,
        t.trl_target_on.isoformat() if t.trl_target_on else "",
        t.internal_note if internal else "",
    ]
