"""Writes for needs (需求) and topics (课题)."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kechuang.accounts.models import Unit
from kechuang.core.audit import audit_record, diff, snapshot
from kechuang.core.choices import labels_to_codes
from kechuang.core.excel import Headings, ImportReport, RowError, read_table, validation_row_errors
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.lists import listed
from kechuang.core.messages import Message
from kechuang.core.roles import Role, has_role

from .. import industries, permissions
from ..models import Need, Topic

NEED_FIELDS = ("title", "problem", "indicators_wanted", "cofund_budget", "industry", "urgency")
TOPIC_FIELDS = ("title", "description", "industry", "track", "trl_baseline", "trl_target")


@transaction.atomic
def need_submit(*, actor, unit=None, **fields) -> Need:
    """Record a need for the actor's unit (staff may name any unit). Audited."""
    if not permissions.can_submit_need(actor):
        raise PermissionDenied(_("只有单位用户可以提交技术需求。"))

    if unit is None or not has_role(actor, Role.STAFF):
        unit = actor.unit
    need = Need(unit=unit, submitted_by=actor if getattr(actor, "pk", None) else None)
    for name in NEED_FIELDS:
        if name in fields:
            setattr(need, name, fields[name])
    # an entry named in either language is that entry; words naming none are refused by the list
    if need.industry:
        need.industry = industries.parse(need.industry) or need.industry
    need.full_clean()
    need.save()
    audit_record(actor=actor, action="need.submit", obj=need, after=snapshot(need, ["unit_id", *NEED_FIELDS]))
    return need


@transaction.atomic
def topic_create(
    *,
    actor,
    title: str,
    description: str = "",
    industry: str = "",
    track: str = "",
    trl_baseline: int | None = None,
    trl_target: int | None = None,
    needs: Iterable = (),
) -> Topic:
    """Create a topic, grading it by TRL into a track, and group the given needs under it. Staff only.

    (The signature is the one techmap uses; see docs/interfaces.md.)
    """
    if not permissions.can_manage_topics(actor):
        raise PermissionDenied(_("只有科技厅工作人员可以凝练课题。"))
    topic = Topic(
        title=title,
        description=description,
        industry=industries.closest(
            industry
        ),  # an entry of the list (a caller's name for it read as the entry)
        track=track or "",
        trl_baseline=trl_baseline,
        trl_target=trl_target,
    )
    # a caller's name no entry fits (a technology map's chain) is kept as it is, visible, like text stored before
    # the list: only an entry is checked against the list
    topic.full_clean(
        exclude=None if topic.industry in industries.KEYS or not topic.industry else ["industry"]
    )
    topic.save()
    audit_record(actor=actor, action="topic.create", obj=topic, after=snapshot(topic, TOPIC_FIELDS))
    need_list = list(needs)
    if need_list:
        topic_add_needs(actor=actor, topic=topic, needs=need_list)
    return topic


@transaction.atomic
def topic_update(*, actor, topic: Topic, reason: str = "", **fields) -> Topic:
    """Change a topic's text, track or TRL grading. Staff only; audited with before and after."""
    if not permissions.can_manage_topics(actor):
        raise PermissionDenied(_("只有科技厅工作人员可以修改课题。"))
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    before = snapshot(topic, TOPIC_FIELDS)
    changed = [f for f in TOPIC_FIELDS if f in fields]
    for f in changed:
        setattr(topic, f, fields[f])
    topic.full_clean()
    topic.save(update_fields=[*changed, "updated_at"])
    b, a = diff(before, snapshot(topic, TOPIC_FIELDS))
    if a:
        audit_record(actor=actor, action="topic.update", obj=topic, before=b, after=a, reason=reason)
    return topic


@transaction.atomic
def topic_add_needs(*, actor, topic: Topic, needs: Iterable) -> int:
    """Group needs under a topic (a need belongs to at most one topic). Each move is audited."""
    if not permissions.can_manage_topics(actor):
        raise PermissionDenied(_("只有科技厅工作人员可以归并需求。"))
    moved = 0
    for need in needs:
        need = Need.objects.select_for_update().get(pk=getattr(need, "pk", need))
        if need.topic_id == topic.pk:
            continue
        if need.topic_id is not None:
            raise ApplicationError(
                _("需求“%(need)s”已归入课题“%(topic)s”。") % {"need": need, "topic": need.topic},
                code="need_grouped",
            )
        need.topic = topic
        need.save(update_fields=["topic", "updated_at"])
        audit_record(
            actor=actor, action="need.group", obj=need, before={"topic": None}, after={"topic": topic.pk}
        )
        moved += 1
    return moved


# The format's headings in both languages, fixed here (not through the catalogue, so a changed translation never
# breaks a file): a file headed in either is read, column by column; the template, the import page and the
# refusals use the reader's (docs/adr/0019). 配套经费 is in 万元; 紧迫程度 by its label in either language.
COLUMNS = {
    "title": "需求名称",
    "unit": "需求单位",
    "problem": "技术难题",
    "indicators_wanted": "期望指标",
    "cofund_budget": "配套经费",
    "industry": "产业",
    "urgency": "紧迫程度",
}
COLUMNS_EN = {
    "title": "Need title",
    "unit": "Requesting unit",
    "problem": "Technical problem",
    "indicators_wanted": "Expected indicators",
    "cofund_budget": "Matching funding",
    "industry": "Industry",
    "urgency": "Urgency",
}
IMPORT_COLUMNS = tuple(COLUMNS.values())  # the Chinese file's header row
REQUIRED = ("title", "unit", "problem")
IMPORT_HEADINGS = Headings(COLUMNS, COLUMNS_EN)


def needs_import(*, actor, data: bytes, filename: str, dry_run: bool = True):
    """Import needs from a .xlsx/.csv sheet (columns: COLUMNS or COLUMNS_EN, each by either heading). Every bad
    row is reported with its line, its column in the reader's language and the reason; nothing is written unless
    the whole file is clean, and then all rows are written in one transaction (a need already recorded for the
    same unit and title is skipped). Staff only."""
    from decimal import Decimal, InvalidOperation

    from django.core.exceptions import ValidationError

    if not permissions.can_manage_topics(actor):
        raise PermissionDenied(_("只有科技厅工作人员可以批量导入需求。"))
    named = IMPORT_HEADINGS.local()
    # each required column under either heading; a missing one is named in the reader's language
    rows = read_table(data, filename, required=IMPORT_HEADINGS.required(REQUIRED))
    report = ImportReport(total=len(rows), dry_run=dry_run)
    units = {u.name: u for u in Unit.objects.filter(is_active=True)}
    urgencies = labels_to_codes(Need.Urgency)  # 一般/Normal/low …
    seen = set()
    ready = []
    for row in rows:
        v = IMPORT_HEADINGS.cells(row)
        v = {k: (str(x).strip() if x is not None else "") for k, x in v.items()}
        unit = units.get(v["unit"])
        if unit is None:
            report.errors.append(
                RowError(row.line, _("单位“%(u)s”未登记或已停用。") % {"u": v["unit"]}, named["unit"])
            )
            continue
        try:
            budget = Decimal(v["cofund_budget"] or "0")
        except InvalidOperation:
            report.errors.append(
                RowError(row.line, _("配套经费必须是数字（万元）。"), named["cofund_budget"])
            )
            continue
        urgency = urgencies.get((v["urgency"] or Need.Urgency.MEDIUM).casefold())
        if urgency is None:
            report.errors.append(
                RowError(
                    row.line,
                    _("紧迫程度应为：%(choices)s。") % {"choices": listed(Need.Urgency.labels)},
                    named["urgency"],
                )
            )
            continue
        industry = industries.parse(v["industry"])  # by its name in either language
        if industry is None:
            report.errors.append(
                RowError(
                    row.line,
                    Message(
                        gettext_noop("产业“%(value)s”不在产业列表中，请按列表填写，例如“新材料”。"),
                        value=v["industry"],
                    ),
                    named["industry"],
                )
            )
            continue
        if (unit.pk, v["title"]) in seen:
            report.errors.append(RowError(row.line, _("与前面的行重复。"), named["title"]))
            continue
        seen.add((unit.pk, v["title"]))
        need = Need(
            unit=unit,
            submitted_by=actor,
            title=v["title"],
            problem=v["problem"],
            indicators_wanted=v["indicators_wanted"],
            cofund_budget=budget,
            industry=industry,
            urgency=urgency,
        )
        try:
            need.full_clean()
        except ValidationError as exc:
            # each reason under its column as the reader heads it, never the field's own name
            report.errors.extend(validation_row_errors(exc, row.line, named))
            continue
        if Need.objects.filter(unit=unit, title=need.title).exists():
            continue
        ready.append(need)
    if dry_run or report.errors:
        report.created = len(ready) if not report.errors else 0
        return report
    with transaction.atomic():
        for need in ready:
            need.save()
            audit_record(
                actor=actor, action="need.import", obj=need, after=snapshot(need, ["unit_id", *NEED_FIELDS])
            )
    report.created = len(ready)
    report.committed = True
    return report
