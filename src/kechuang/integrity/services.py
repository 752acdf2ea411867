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
from kechuang.core.choices import labels_to_codes
from kechuang.core.excel import Headings, ImportReport, RowError, read_table
from kechuang.core.exceptions import ApplicationError
from kechuang.core.lists import listed
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

# The format's headings in both languages, fixed here (not through the catalogue, so a changed translation never
# breaks a file): a file headed in either is read, column by column; the template, the import page and the
# refusals use the reader's (docs/adr/0019).
COLUMNS = {
    "kind": "对象类型",
    "name": "姓名",
    "unit": "单位",
    "source": "来源",
    "decision": "处理决定",
    "decided_on": "决定日期",
    "restrictions": "限制事项",
    "starts_on": "限制起始日",
    "ends_on": "限制截止日",
    "finding": "查实的问题",
}
COLUMNS_EN = {
    "kind": "Subject type",
    "name": "Name",
    "unit": "Unit",
    "source": "Source",
    "decision": "Decision",
    "decided_on": "Date of decision",
    "restrictions": "Restrictions",
    "starts_on": "Restrictions from",
    "ends_on": "Restrictions until",
    "finding": "Findings",
}
IMPORT_COLUMNS = tuple(COLUMNS.values())  # the Chinese file's header row
REQUIRED = ("kind", "unit", "decision", "decided_on", "restrictions")
IMPORT_HEADINGS = HEADINGS = Headings(COLUMNS, COLUMNS_EN)
# The columns' headings in the reader's language (`english` overrides it), by field.
headings = HEADINGS.local
# A subject type and a restriction are read by their label in either language (个人/Person, 不得申报项目/No
# applications) and by the short words the first files used.
RESTRICTION_WORDS = {
    "不得申报": Restriction.APPLY,
    "申报": Restriction.APPLY,
    "评审专家": Restriction.EXPERT,
    "专家": Restriction.EXPERT,
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
    """The restrictions a cell names, separated by 、 , ; or / (or by spaces, where the words between them are
    each one: an English label has its own spaces)."""
    known = {**labels_to_codes(Restriction), **{w: r.value for w, r in RESTRICTION_WORDS.items()}}
    out = set()
    for piece in re.split(r"\s*[,，、;；/\n]+\s*", str(value or "").strip()):
        if not piece:
            continue
        words = [piece] if piece.casefold() in known else piece.split()
        for word in words:
            code = known.get(word.casefold())
            if code is None:
                raise ValueError(piece)
            out.add(code)
    return out


def _choices_listed(choices) -> str:
    """A choice set's labels in the reader's language, listed as the reader lists things."""
    return listed([str(label) for label in choices.labels])


def record_import(*, actor, data: bytes, filename: str, dry_run: bool = True) -> RecordImportReport:
    """Import findings from Excel/CSV (columns: COLUMNS or COLUMNS_EN). Every bad row is reported with its line and column;
    nothing is written unless the whole file is clean, and then in one transaction. A row already recorded
    (same subject, decision date and decision) is skipped."""
    require_role(actor, Role.STAFF, message=_(ONLY_STAFF))
    named = headings()
    # each required column under either heading; a missing one is named in the reader's language
    rows = read_table(data, filename, required=HEADINGS.required(REQUIRED))
    subjects = labels_to_codes(Record.Subject)
    report = RecordImportReport(total=len(rows), dry_run=dry_run)
    units = {u.name: u for u in Unit.objects.all()}
    clean = []
    seen = set()
    today = timezone.localdate()
    for row in rows:
        v = HEADINGS.cells(row)
        errs: list[RowError] = []

        def text(col, limit, v=v, row=row, errs=errs):
            value = str(v.get(col) or "").strip()
            if len(value) > limit:
                errs.append(RowError(row.line, _("超过%(n)d个字。") % {"n": limit}, named[col]))
            return value[:limit]

        kind = subjects.get(text("kind", 10).casefold())
        if kind is None:
            errs.append(
                RowError(
                    row.line,
                    _("对象类型应为：%(choices)s。") % {"choices": _choices_listed(Record.Subject)},
                    named["kind"],
                )
            )
        name = text("name", 100)
        if kind == Record.Subject.PERSON and not name:
            errs.append(RowError(row.line, _("个人记录须填写姓名。"), named["name"]))
        unit_name = text("unit", 200)
        unit = units.get(unit_name)
        if unit is None:
            errs.append(
                RowError(row.line, _("单位“%(unit)s”不在单位库中。") % {"unit": unit_name}, named["unit"])
            )
        source = text("source", 200)
        if not source:
            errs.append(RowError(row.line, _("请填写作出处理的机关或文件。"), named["source"]))
        decision = text("decision", 300)
        if not decision:
            errs.append(RowError(row.line, _("处理决定不能为空。"), named["decision"]))
        dates = {}
        for col in ("decided_on", "starts_on", "ends_on"):
            try:
                dates[col] = _date(v.get(col))
            except (ValueError, TypeError):
                errs.append(RowError(row.line, _("日期应写作 2025-06-01。"), named[col]))
                dates[col] = None
        if dates["decided_on"] is None and not any(e.field == named["decided_on"] for e in errs):
            errs.append(RowError(row.line, _("决定日期不能为空。"), named["decided_on"]))
        elif dates["decided_on"] and dates["decided_on"] > today:
            errs.append(RowError(row.line, _("决定日期不能晚于今天。"), named["decided_on"]))
        start = dates["starts_on"] or dates["decided_on"]
        if start and dates["ends_on"] and dates["ends_on"] < start:
            errs.append(RowError(row.line, _("限制截止日不能早于起始日。"), named["ends_on"]))
        try:
            restrictions = _restrictions(v.get("restrictions"))
        except ValueError as exc:
            errs.append(
                RowError(
                    row.line,
                    _("不认识的限制事项“%(w)s”（可填：%(choices)s）。")
                    % {"w": exc.args[0], "choices": _choices_listed(Restriction)},
                    named["restrictions"],
                )
            )
            restrictions = set()
        else:
            if not restrictions:
                errs.append(RowError(row.line, _("请至少写一项限制。"), named["restrictions"]))
            elif kind == Record.Subject.UNIT and Restriction.EXPERT.value in restrictions:
                errs.append(RowError(row.line, _("“不得担任评审专家”只能针对个人。"), named["restrictions"]))
        key = (kind, normalise_name(name), unit_name, dates["decided_on"], decision)
        if key in seen:
            errs.append(RowError(row.line, _("与文件中前面的一行重复。"), named["decision"]))
        seen.add(key)
        if errs:
            report.errors.extend(errs)
            continue
        exists = Record.objects.filter(
            subject_kind=kind,
            unit=unit,
            person_name=name if kind == Record.Subject.PERSON else "",
            decided_on=dates["decided_on"],
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
                "finding": text("finding", 2000),
                "decided_on": dates["decided_on"],
                "starts_on": start,
                "ends_on": dates["ends_on"],
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
