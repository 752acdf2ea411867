"""Writes for needs (需求) and topics (课题)."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.accounts.models import Unit
from kechuang.core.audit import audit_record, diff, snapshot
from kechuang.core.excel import ImportReport, RowError, read_table
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.roles import Role, has_role

from .. import permissions
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
        industry=industry,
        track=track or "",
        trl_baseline=trl_baseline,
        trl_target=trl_target,
    )
    topic.full_clean()
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


NEED_COLUMNS = {
    "需求名称": "title",
    "需求单位": "unit",
    "技术难题": "problem",
    "期望指标": "indicators_wanted",
    "配套经费": "cofund_budget",
    "产业": "industry",
    "紧迫程度": "urgency",
}
URGENCY_WORDS = {
    "一般": "low",
    "较急": "medium",
    "紧急": "high",
    "low": "low",
    "medium": "medium",
    "high": "high",
}


def needs_import(*, actor, data: bytes, filename: str, dry_run: bool = True):
    """Import needs from a .xlsx/.csv sheet (columns: 需求名称, 需求单位, 技术难题, 期望指标, 配套经费, 产业,
    紧迫程度). Every bad row is reported with its line and reason; nothing is written unless the whole file
    is clean, and then all rows are written in one transaction (a need already recorded for the same unit
    and title is skipped). Staff only."""
    from decimal import Decimal, InvalidOperation

    from django.core.exceptions import ValidationError

    if not permissions.can_manage_topics(actor):
        raise PermissionDenied(_("只有科技厅工作人员可以批量导入需求。"))
    rows = read_table(data, filename, required=["需求名称", "需求单位", "技术难题"])
    report = ImportReport(total=len(rows), dry_run=dry_run)
    units = {u.name: u for u in Unit.objects.filter(is_active=True)}
    seen = set()
    ready = []
    for row in rows:
        v = {field: row.values.get(col) for col, field in NEED_COLUMNS.items()}
        v = {k: (str(x).strip() if x is not None else "") for k, x in v.items()}
        unit = units.get(v["unit"])
        if unit is None:
            report.errors.append(
                RowError(row.line, _("单位“%(u)s”未登记或已停用。") % {"u": v["unit"]}, "需求单位")
            )
            continue
        try:
            budget = Decimal(v["cofund_budget"] or "0")
        except InvalidOperation:
            report.errors.append(RowError(row.line, _("配套经费必须是数字（万元）。"), "配套经费"))
            continue
        urgency = URGENCY_WORDS.get(v["urgency"] or "较急")
        if urgency is None:
            report.errors.append(RowError(row.line, _("紧迫程度应为：一般、较急、紧急。"), "紧迫程度"))
            continue
        if (unit.pk, v["title"]) in seen:
            report.errors.append(RowError(row.line, _("与前面的行重复。"), "需求名称"))
            continue
        seen.add((unit.pk, v["title"]))
        need = Need(
            unit=unit,
            submitted_by=actor,
            title=v["title"],
            problem=v["problem"],
            indicators_wanted=v["indicators_wanted"],
            cofund_budget=budget,
            industry=v["industry"],
            urgency=urgency,
        )
        try:
            need.full_clean()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                report.errors.append(RowError(row.line, _("；").join(messages), field))
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
