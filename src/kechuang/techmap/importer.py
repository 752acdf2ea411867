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
from kechuang.core.excel import ImportReport, Row, RowError, read_table
from kechuang.core.exceptions import PermissionDenied
from kechuang.core.messages import Message, label

from .models import Chain, ChainLink, Technology, TrlRecord

COL_CHAIN = "产业链"
COL_STAGE = "环节位置"
COL_LINK = "环节"
COL_NAME = "技术名称"
# Optional English names beside the Chinese ones: a blank cell keeps the name already stored (a file from
# before these columns erases nothing).
COL_CHAIN_EN = "产业链（英文）"
COL_LINK_EN = "环节（英文）"
COL_NAME_EN = "技术名称（英文）"
COL_DESC = "描述"
COL_BOTTLENECK = "卡脖子"
COL_SUBST = "进口替代状态"
COL_LEVEL = "技术水平"
COL_SUPPLY = "本地配套率(%)"
COL_TRL = {
    TrlRecord.Kind.BASELINE: ("基线TRL", "基线日期"),
    TrlRecord.Kind.CURRENT: ("当前TRL", "当前日期"),
    TrlRecord.Kind.TARGET: ("目标TRL", "目标日期"),
}
COL_NOTE = "内部备注"
COLUMNS = [
    COL_CHAIN,
    COL_CHAIN_EN,
    COL_STAGE,
    COL_LINK,
    COL_LINK_EN,
    COL_NAME,
    COL_NAME_EN,
    COL_DESC,
    COL_BOTTLENECK,
    COL_SUBST,
    COL_LEVEL,
    COL_SUPPLY,
    *[c for pair in COL_TRL.values() for c in pair],
    COL_NOTE,
]
REQUIRED = [COL_CHAIN, COL_STAGE, COL_LINK, COL_NAME]

EN_LIMITS = ((COL_CHAIN_EN, 200), (COL_LINK_EN, 200), (COL_NAME_EN, 300))
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
    """One sheet row → a ParsedRow, or every error of the row with its line and column."""
    v = row.values
    errors: list[RowError] = []

    def err(col, message):
        errors.append(RowError(row.line, message, col))

    for col in REQUIRED:
        if not _text(v, col):
            err(col, Message(gettext_noop("不能为空")))
    stages = labels_to_codes(ChainLink.Stage)
    stage = stages.get(_text(v, COL_STAGE).lower(), "")
    if _text(v, COL_STAGE) and not stage:
        err(COL_STAGE, Message(gettext_noop("应为 上游、中游 或 下游")))
    flag = _text(v, COL_BOTTLENECK).lower()
    if flag not in TRUE_WORDS | FALSE_WORDS:
        err(COL_BOTTLENECK, Message(gettext_noop("应为 是 或 否")))
    subst_map = labels_to_codes(Technology.Substitution)
    subst_text = _text(v, COL_SUBST).lower()
    substitution = subst_map.get(subst_text, "") if subst_text else Technology.Substitution.NOT_APPLICABLE
    if not substitution:
        err(COL_SUBST, Message(gettext_noop("未知的进口替代状态“%(v)s”"), v=_text(v, COL_SUBST)))
    level_map = labels_to_codes(Technology.Level)
    level_text = _text(v, COL_LEVEL).lower()
    level = level_map.get(level_text, None) if level_text else ""
    if level is None:
        err(COL_LEVEL, Message(gettext_noop("应为 国际领先、国内领先 或 跟跑")))
        level = ""
    supply = None
    supply_text = _text(v, COL_SUPPLY).rstrip("%").strip()
    if supply_text:
        try:
            supply = Decimal(supply_text).quantize(Decimal("0.1"))
            if not 0 <= supply <= 100:
                raise InvalidOperation
        except InvalidOperation:
            err(COL_SUPPLY, Message(gettext_noop("应为 0 到 100 之间的数")))
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
    for col, limit in ((COL_CHAIN, 100), (COL_LINK, 100), (COL_NAME, 200), *EN_LIMITS):
        if len(_text(v, col)) > limit:
            err(col, Message(gettext_noop("超过 %(n)d 个字"), n=limit))
    if errors:
        return None, errors
    return (
        ParsedRow(
            line=row.line,
            chain=_text(v, COL_CHAIN),
            stage=stage,
            link=_text(v, COL_LINK),
            name=_text(v, COL_NAME),
            description=_text(v, COL_DESC),
            is_bottleneck=flag in TRUE_WORDS,
            substitution=substitution,
            level=level,
            local_supply_pct=supply,
            trl=trl,
            internal_note=_text(v, COL_NOTE),
            chain_en=_text(v, COL_CHAIN_EN),
            link_en=_text(v, COL_LINK_EN),
            name_en=_text(v, COL_NAME_EN),
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
    rows = read_table(data, filename, required=REQUIRED)
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
                    COL_NAME,
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
                    COL_STAGE,
                )
            )
        first = file_stage.setdefault((p.chain, p.link), (p.stage, p.line))
        if first[0] != p.stage:
            report.errors.append(
                RowError(p.line, Message(gettext_noop("与第%(n)d行的环节位置不一致"), n=first[1]), COL_STAGE)
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
    errors, first = [], {}
    for p in parsed:
        for key, value, col in (
            ((p.chain,), p.chain_en, COL_CHAIN_EN),
            ((p.chain, p.link), p.link_en, COL_LINK_EN),
        ):
            if not value:
                continue
            seen = first.setdefault(key, (value, p.line))
            if seen[0] != value:
                errors.append(
                    RowError(p.line, Message(gettext_noop("与第%(n)d行的英文名称不一致"), n=seen[1]), col)
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
        "是" if t.is_bottleneck else "否",
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
