"""Writes of the integrity records: staff enter a finding, import a file of them, and record an appeal and
its outcome. Every write is audited; status changes only through `workflow.RECORD`."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.accounts.models import Unit, User
from kechuang.core.audit import audit_record, snapshot
from kechuang.core.excel import ImportReport, RowError, read_table
from kechuang.core.exceptions import ApplicationError
from kechuang.core.roles import Role, actor_roles, require_role
from kechuang.core.services import transition_apply

from .models import Record, Restriction
from .selectors import normalise_name
from .workflow import RECORD, AppealOutcome

ONLY_STAFF = "只有科技厅工作人员可以管理科研诚信记录。"
FIELDS = (
    "subject_kind",
    "unit",
    "person_name",
    "person",
    "source",
    "finding",
    "decision",
    "decided_on",
    "bars_applying",
    "bars_expert_work",
    "bars_awards",
    "starts_on",
    "ends_on",
)


def resolve_person(*, name: str, unit: Unit) -> User | None:
    """The platform user of that name at that unit, when exactly one is."""
    wanted = normalise_name(name)
    found = [u for u in User.objects.filter(unit=unit) if normalise_name(str(u)) == wanted]
    return found[0] if len(found) == 1 else None


def _check(record: Record) -> None:
    errors: dict[str, list[str]] = {}
    if record.subject_kind == Record.Subject.PERSON and not record.person_name.strip():
        errors["person_name"] = [_("个人记录须填写姓名。")]
    if record.subject_kind == Record.Subject.UNIT and record.bars_expert_work:
        errors["bars_expert_work"] = [_("“不得担任评审专家”只能针对个人。")]
    if not (record.bars_applying or record.bars_expert_work or record.bars_awards):
        errors["bars_applying"] = [_("请至少选择一项限制。")]
    if record.ends_on and record.ends_on < record.starts_on:
        errors["ends_on"] = [_("限制截止日不能早于起始日。")]
    if record.decided_on and record.decided_on > timezone.localdate():
        errors["decided_on"] = [_("决定日期不能晚于今天。")]
    if errors:
        raise ApplicationError(
            " ".join(m for ms in errors.values() for m in ms), code="invalid", fields=errors
        )


@transaction.atomic
def record_create(
    *,
    actor,
    subject_kind: str,
    unit: Unit,
    source: str,
    decision: str,
    decided_on: datetime.date,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    person_name: str = "",
    person: User | None = None,
    finding: str = "",
    bars_applying: bool = False,
    bars_expert_work: bool = False,
    bars_awards: bool = False,
) -> Record:
    """Record a finding against a person (by name at their unit; linked to their account when one matches)
    or a unit. Staff only; audited."""
    require_role(actor, Role.STAFF, message=_(ONLY_STAFF))
    person_name = (person_name or "").strip()
    if subject_kind == Record.Subject.PERSON:
        if person is not None and not person_name:
            person_name = str(person)
        if person is None and person_name:
            person = resolve_person(name=person_name, unit=unit)
    else:
        person_name, person = "", None
    record = Record(
        subject_kind=subject_kind,
        unit=unit,
        person_name=person_name,
        person=person,
        source=(source or "").strip(),
        finding=(finding or "").strip(),
        decision=(decision or "").strip(),
        decided_on=decided_on,
        bars_applying=bars_applying,
        bars_expert_work=bars_expert_work,
        bars_awards=bars_awards,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor if isinstance(actor, User) else None,
    )
    _check(record)
    try:
        record.full_clean()
    except ValidationError as exc:
        raise ApplicationError(
            " ".join(m for ms in exc.message_dict.values() for m in ms),
            code="invalid",
            fields=exc.message_dict,
        )
    record.save()
    audit_record(actor=actor, action="integrity_record.create", obj=record, after=snapshot(record, FIELDS))
    return record


@transaction.atomic
def record_transition(*, actor, record: Record, action: str, reason: str, on: datetime.date | None = None):
    """Record an appeal (`appeal`: the grounds as reason) or its outcome (`dismiss`: the restriction stands;
    `grant`: the record is revoked), or revoke a record whose decision was withdrawn (`revoke`)."""
    require_role(actor, Role.STAFF, message=_(ONLY_STAFF))
    on = on or timezone.localdate()
    reason = (reason or "").strip()
    extra: dict = {}
    if action == "appeal":
        extra = {"appeal_outcome": AppealOutcome.PENDING, "appeal_grounds": reason, "appeal_lodged_on": on}
    elif action in ("dismiss", "grant"):
        extra = {
            "appeal_outcome": AppealOutcome.DISMISSED if action == "dismiss" else AppealOutcome.GRANTED,
            "appeal_note": reason,
            "appeal_decided_on": on,
        }
    transition_apply(
        obj=record,
        machine=RECORD,
        action=action,
        actor=actor,
        roles=actor_roles(actor),
        reason=reason,
        extra_updates=extra,
    )
    return record


# Import ---------------------------------------------------------------------------------------------------

IMPORT_COLUMNS = (
    "对象类型",
    "姓名",
    "单位",
    "来源",
    "处理决定",
    "决定日期",
    "限制事项",
    "限制起始日",
    "限制截止日",
    "查实的问题",
)
SUBJECT_WORDS = {"个人": Record.Subject.PERSON, "单位": Record.Subject.UNIT}
RESTRICTION_WORDS = {
    "不得申报项目": Restriction.APPLY,
    "不得申报": Restriction.APPLY,
    "申报": Restriction.APPLY,
    "不得担任评审专家": Restriction.EXPERT,
    "评审专家": Restriction.EXPERT,
    "专家": Restriction.EXPERT,
    "不得立项或获奖": Restriction.AWARD,
    "不得立项": Restriction.AWARD,
    "不得获奖": Restriction.AWARD,
    "立项": Restriction.AWARD,
    "获奖": Restriction.AWARD,
}


@dataclass
class RecordImportReport(ImportReport):
    """An import report that also counts rows already recorded (skipped)."""

    skipped: int = 0

    def as_dict(self) -> dict:
        return {**super().as_dict(), "skipped": self.skipped}


def _date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    m = re.fullmatch(r"(\d{4})[-年](\d{1,2})[-月](\d{1,2})日?", text)
    if not m:
        raise ValueError(text)
    return datetime.date(int(m[1]), int(m[2]), int(m[3]))


def _restrictions(value) -> set[str]:
    out = set()
    for word in re.split(r"[,，、;；/\s]+", str(value or "")):
        if not word:
            continue
        if word not in RESTRICTION_WORDS:
            raise ValueError(word)
        out.add(RESTRICTION_WORDS[word].value)
    return out


def record_import(*, actor, data: bytes, filename: str, dry_run: bool = True) -> RecordImportReport:
    """Import findings from Excel/CSV (IMPORT_COLUMNS). Every bad row is reported with its line and column;
    nothing is written unless the whole file is clean, and then in one transaction. A row already recorded
    (same subject, decision date and decision) is skipped."""
    require_role(actor, Role.STAFF, message=_(ONLY_STAFF))
    rows = read_table(data, filename, required=("对象类型", "单位", "处理决定", "决定日期", "限制事项"))
    report = RecordImportReport(total=len(rows), dry_run=dry_run)
    units = {u.name: u for u in Unit.objects.all()}
    clean = []
    seen = set()
    today = timezone.localdate()
    for row in rows:
        v = row.values
        errs: list[RowError] = []

        def text(col, limit, v=v, row=row, errs=errs):
            value = str(v.get(col) or "").strip()
            if len(value) > limit:
                errs.append(RowError(row.line, _("超过%(n)d个字。") % {"n": limit}, col))
            return value[:limit]

        kind = SUBJECT_WORDS.get(text("对象类型", 10))
        if kind is None:
            errs.append(RowError(row.line, _("对象类型应为“个人”或“单位”。"), "对象类型"))
        name = text("姓名", 100)
        if kind == Record.Subject.PERSON and not name:
            errs.append(RowError(row.line, _("个人记录须填写姓名。"), "姓名"))
        unit_name = text("单位", 200)
        unit = units.get(unit_name)
        if unit is None:
            errs.append(RowError(row.line, _("单位“%(unit)s”不在单位库中。") % {"unit": unit_name}, "单位"))
        source = text("来源", 200)
        if not source:
            errs.append(RowError(row.line, _("请填写作出处理的机关或文件。"), "来源"))
        decision = text("处理决定", 300)
        if not decision:
            errs.append(RowError(row.line, _("处理决定不能为空。"), "处理决定"))
        dates = {}
        for col in ("决定日期", "限制起始日", "限制截止日"):
            try:
                dates[col] = _date(v.get(col))
            except (ValueError, TypeError):
                errs.append(RowError(row.line, _("日期应写作 2025-06-01。"), col))
                dates[col] = None
        if dates["决定日期"] is None and not any(e.field == "决定日期" for e in errs):
            errs.append(RowError(row.line, _("决定日期不能为空。"), "决定日期"))
        elif dates["决定日期"] and dates["决定日期"] > today:
            errs.append(RowError(row.line, _("决定日期不能晚于今天。"), "决定日期"))
        start = dates["限制起始日"] or dates["决定日期"]
        if start and dates["限制截止日"] and dates["限制截止日"] < start:
            errs.append(RowError(row.line, _("限制截止日不能早于起始日。"), "限制截止日"))
        try:
            restrictions = _restrictions(v.get("限制事项"))
        except ValueError as exc:
            errs.append(
                RowError(
                    row.line,
                    _("不认识的限制事项“%(w)s”（可填：不得申报项目、不得担任评审专家、不得立项或获奖）。")
                    % {"w": exc.args[0]},
                    "限制事项",
                )
            )
            restrictions = set()
        else:
            if not restrictions:
                errs.append(RowError(row.line, _("请至少写一项限制。"), "限制事项"))
            elif kind == Record.Subject.UNIT and Restriction.EXPERT.value in restrictions:
                errs.append(RowError(row.line, _("“不得担任评审专家”只能针对个人。"), "限制事项"))
        key = (kind, normalise_name(name), unit_name, dates["决定日期"], decision)
        if key in seen:
            errs.append(RowError(row.line, _("与文件中前面的一行重复。"), "处理决定"))
        seen.add(key)
        if errs:
            report.errors.extend(errs)
            continue
        exists = Record.objects.filter(
            subject_kind=kind,
            unit=unit,
            person_name=name if kind == Record.Subject.PERSON else "",
            decided_on=dates["决定日期"],
            decision=decision,
        ).exists()
        if exists:
            report.skipped += 1
            continue
        report.created += 1
        clean.append(
            {
                "subject_kind": kind,
                "unit": unit,
                "person_name": name if kind == Record.Subject.PERSON else "",
                "source": source,
                "decision": decision,
                "finding": text("查实的问题", 2000),
                "decided_on": dates["决定日期"],
                "starts_on": start,
                "ends_on": dates["限制截止日"],
                "bars_applying": Restriction.APPLY.value in restrictions,
                "bars_expert_work": Restriction.EXPERT.value in restrictions,
                "bars_awards": Restriction.AWARD.value in restrictions,
            }
        )
    if dry_run or report.errors:
        return report
    with transaction.atomic():
        for c in clean:
            record_create(actor=actor, **c)
    report.committed = True
    return report
