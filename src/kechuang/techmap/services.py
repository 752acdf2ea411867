"""Every write of the technology map. Each one re-checks the actor's role and is audited."""

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.challenges.services import topic_create
from kechuang.core.audit import audit_record, diff, snapshot
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.roles import Role, require_role
from kechuang.core.services import optimistic_save

from . import coverage as cov
from . import permissions
from .models import Chain, ChainLink, Coverage, Technology, TrlRecord

NOT_STAFF = gettext_lazy("只有科技厅工作人员可以修改攻坚图谱。")
NOT_BOTTLENECK = gettext_lazy("只有卡脖子技术可以从缺口报告一键生成课题。")
ALREADY_TOPIC = gettext_lazy("该技术已有课题，无需重复生成。")
NOT_COVERABLE = gettext_lazy("该对象类型不能作为覆盖对象（未实现 coverage_active）。")
KIND_MISMATCH = gettext_lazy("覆盖类型与所选对象不符。")
TARGET_MISSING = gettext_lazy("所选对象不存在。")
REASON_REQUIRED = gettext_lazy("删除须填写理由。")
DUPLICATE_COVERAGE = gettext_lazy("该技术与该对象在同一起始日期的覆盖关系已存在。")

CHAIN_FIELDS = ("name", "name_en", "description", "description_en", "internal_note", "published", "order")
LINK_FIELDS = ("chain", "stage", "name", "name_en", "order")
TECH_FIELDS = (
    "link",
    "name",
    "name_en",
    "description",
    "internal_note",
    "is_bottleneck",
    "substitution",
    "level",
    "local_supply_pct",
)
TRL_KINDS = {
    TrlRecord.Kind.BASELINE: ("trl_baseline", "trl_baseline_on"),
    TrlRecord.Kind.CURRENT: ("trl_current", "trl_current_on"),
    TrlRecord.Kind.TARGET: ("trl_target", "trl_target_on"),
}


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# Chains ---------------------------------------------------------------------------------------------


@transaction.atomic
def chain_create(
    *,
    actor,
    name: str,
    name_en: str = "",
    description: str = "",
    internal_note: str = "",
    published=False,
    order=100,
    description_en: str = "",
):
    """A new chain, validated and audited. Staff only. `name_en`: its optional English name."""
    require_role(actor, Role.STAFF, message=NOT_STAFF)
    chain = Chain(
        name=name.strip(),
        name_en=(name_en or "").strip(),
        description=description,
        description_en=(description_en or "").strip(),
        internal_note=internal_note,
        published=published,
        order=order,
    )
    chain.full_clean()
    chain.save()
    audit_record(actor=actor, action="chain.create", obj=chain, after=snapshot(chain, CHAIN_FIELDS))
    return chain


@transaction.atomic
def chain_update(
    *, actor, chain: Chain, expected_version: int | None = None, reason: str = "", **fields
) -> Chain:
    """Change a chain's fields; with `expected_version`, refuses a stale edit (nothing saved)."""
    require_role(actor, Role.STAFF, message=NOT_STAFF)
    unknown = set(fields) - set(CHAIN_FIELDS)
    if unknown:
        raise ApplicationError(_("未知字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    before = snapshot(chain, CHAIN_FIELDS)
    for k, v in fields.items():
        setattr(chain, k, v)
    chain.full_clean()
    old, new = diff(before, snapshot(chain, CHAIN_FIELDS))
    if not new:
        return chain
    optimistic_save(
        obj=chain,
        expected_version=chain.version if expected_version is None else expected_version,
        update_fields=list(new),
    )
    action = "chain.update"
    if set(new) == {"published"}:
        action = "chain.publish" if chain.published else "chain.unpublish"
    audit_record(actor=actor, action=action, obj=chain, before=old, after=new, reason=reason)
    return chain


# Links ----------------------------------------------------------------------------------------------


@transaction.atomic
def link_create(
    *, actor, chain: Chain, stage: str, name: str, name_en: str = "", order: int = 100
) -> ChainLink:
    """A new link of a chain. Staff only; the name is unique within the chain."""
    require_role(actor, Role.STAFF, message=NOT_STAFF)
    link = ChainLink(
        chain=chain, stage=stage, name=name.strip(), name_en=(name_en or "").strip(), order=order
    )
    link.full_clean()
    link.save()
    audit_record(actor=actor, action="link.create", obj=link, after=snapshot(link, LINK_FIELDS))
    return link


@transaction.atomic
def link_update(*, actor, link: ChainLink, reason: str = "", **fields) -> ChainLink:
    """Change a link's stage, name or order. Staff only."""
    require_role(actor, Role.STAFF, message=NOT_STAFF)
    before = snapshot(link, LINK_FIELDS)
    for k, v in fields.items():
        if k not in LINK_FIELDS:
            raise ApplicationError(_("未知字段：%(f)s") % {"f": k})
        setattr(link, k, v)
    link.full_clean()
    old, new = diff(before, snapshot(link, LINK_FIELDS))
    if new:
        link.save(update_fields=[*new, "updated_at"])
        audit_record(actor=actor, action="link.update", obj=link, before=old, after=new, reason=reason)
    return link


# Technologies ---------------------------------------------------------------------------------------


@transaction.atomic
def technology_create(
    *,
    actor,
    link: ChainLink,
    name: str,
    name_en: str = "",
    description: str = "",
    internal_note: str = "",
    is_bottleneck: bool = False,
    substitution: str = Technology.Substitution.NOT_APPLICABLE,
    level: str = "",
    local_supply_pct: Decimal | None = None,
    trl: dict | None = None,
) -> Technology:
    """A new technology; `trl` maps baseline/current/target to (value, date), each kept as a dated record."""
    require_role(actor, Role.STAFF, message=NOT_STAFF)
    tech = Technology(
        link=link,
        name=name.strip(),
        name_en=(name_en or "").strip(),
        description=description,
        internal_note=internal_note,
        is_bottleneck=is_bottleneck,
        substitution=substitution,
        level=level or "",
        local_supply_pct=local_supply_pct,
    )
    tech.full_clean()
    tech.save()
    audit_record(actor=actor, action="technology.create", obj=tech, after=snapshot(tech, TECH_FIELDS))
    for kind, (value, day) in (trl or {}).items():
        if value is not None:
            trl_record(actor=actor, technology=tech, kind=kind, value=value, as_of=day)
    tech.refresh_from_db()
    return tech


@transaction.atomic
def technology_update(
    *, actor, technology: Technology, expected_version: int | None = None, reason: str = "", **fields
) -> Technology:
    """Change a technology's descriptive fields (TRL values go through `trl_record`).

    With `expected_version` a concurrent edit is refused with Conflict and nothing is saved."""
    require_role(actor, Role.STAFF, message=NOT_STAFF)
    unknown = set(fields) - set(TECH_FIELDS)
    if unknown:
        raise ApplicationError(_("未知字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    before = snapshot(technology, TECH_FIELDS)
    for k, v in fields.items():
        setattr(technology, k, v if k != "level" else (v or ""))
    technology.full_clean()
    old, new = diff(before, snapshot(technology, TECH_FIELDS))
    if not new:
        return technology
    optimistic_save(
        obj=technology,
        expected_version=technology.version if expected_version is None else expected_version,
        update_fields=list(new),
    )
    audit_record(
        actor=actor, action="technology.update", obj=technology, before=old, after=new, reason=reason
    )
    return technology


@transaction.atomic
def technology_delete(*, actor, technology: Technology, reason: str) -> None:
    """Remove a technology entered by mistake, with its TRL history and coverage links. A reason is
    required; the audit event keeps what was removed."""
    require_role(actor, Role.STAFF, message=NOT_STAFF)
    if not (reason or "").strip():
        raise ApplicationError(REASON_REQUIRED, fields={"reason": [REASON_REQUIRED]})
    before = {
        **snapshot(technology, TECH_FIELDS),
        "chain": technology.link.chain.name,
        "trl_records": [
            [r.kind, r.value, r.as_of] for r in technology.trl_records.order_by("kind", "as_of", "id")
        ],
        "coverage": [
            [c.kind, c.target_repr, c.since, c.until] for c in technology.coverages.order_by("since", "id")
        ],
    }
    audit_record(
        actor=actor, action="technology.delete", obj=technology, before=before, after=None, reason=reason
    )
    technology.delete()


@transaction.atomic
def trl_record(
    *,
    actor,
    technology: Technology,
    kind: str,
    value: int,
    as_of: datetime.date | None = None,
    note: str = "",
) -> TrlRecord:
    """Record a dated TRL value. The technology's field of that kind shows the value with the latest
    date (a back-dated record joins the history without replacing a newer value)."""
    require_role(actor, Role.STAFF, message=NOT_STAFF)
    if kind not in TRL_KINDS:
        raise ApplicationError(_("未知的TRL类型：%(k)s") % {"k": kind}, fields={"kind": [_("未知类型")]})
    as_of = as_of or timezone.localdate()
    record = TrlRecord(
        technology=technology, kind=kind, value=value, as_of=as_of, note=note, recorded_by=_user(actor)
    )
    record.full_clean()
    record.save()
    value_field, date_field = TRL_KINDS[kind]
    tech = Technology.objects.select_for_update().get(pk=technology.pk)
    before = {value_field: getattr(tech, value_field), date_field: getattr(tech, date_field)}
    latest = tech.trl_records.filter(kind=kind).order_by("-as_of", "-id").first()
    setattr(tech, value_field, latest.value)
    setattr(tech, date_field, latest.as_of)
    tech.save(update_fields=[value_field, date_field, "updated_at"])
    setattr(technology, value_field, latest.value)
    setattr(technology, date_field, latest.as_of)
    audit_record(
        actor=actor,
        action="technology.trl_record",
        obj=technology,
        before=before,
        after={value_field: latest.value, date_field: latest.as_of, "recorded": [kind, value, as_of]},
        reason=note,
    )
    return record


# Coverage -------------------------------------------------------------------------------------------


@transaction.atomic
def coverage_create(
    *,
    actor,
    technology: Technology,
    kind: str,
    target=None,
    content_type: ContentType | None = None,
    object_id: int | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    note: str = "",
) -> Coverage:
    """Link a technology to a coverable object (given as `target` or content type + id).

    Refuses a type that does not implement coverage_active(), a kind the type does not stand for,
    a missing object and a duplicate link."""
    require_role(actor, Role.STAFF, message=NOT_STAFF)
    if target is not None:
        content_type = ContentType.objects.get_for_model(type(target))
        object_id = target.pk
    if content_type is None or object_id is None:
        raise ApplicationError(TARGET_MISSING, fields={"object_id": [TARGET_MISSING]})
    model = content_type.model_class()
    if model is None or not callable(getattr(model, "coverage_active", None)):
        raise ApplicationError(NOT_COVERABLE, fields={"content_type": [NOT_COVERABLE]})
    if not cov.kind_allowed(content_type, kind):
        raise ApplicationError(KIND_MISMATCH, fields={"kind": [KIND_MISMATCH]})
    if target is None:
        target = model._default_manager.filter(pk=object_id).first()
        if target is None:
            raise ApplicationError(TARGET_MISSING, fields={"object_id": [TARGET_MISSING]})
    coverage = Coverage(
        technology=technology,
        kind=kind,
        content_type=content_type,
        object_id=object_id,
        target_repr=str(target)[:300],
        since=since or timezone.localdate(),
        until=until,
        note=note,
        created_by=_user(actor),
    )
    if Coverage.objects.filter(
        technology=technology, content_type=content_type, object_id=object_id, since=coverage.since
    ).exists():
        raise ApplicationError(DUPLICATE_COVERAGE, code="conflict", status=409)
    coverage.full_clean()
    try:
        with transaction.atomic():
            coverage.save()
    except IntegrityError:
        raise ApplicationError(DUPLICATE_COVERAGE, code="conflict", status=409)
    audit_record(
        actor=actor,
        action="coverage.create",
        obj=coverage,
        after={
            "technology": technology.pk,
            "kind": kind,
            "target": f"{content_type.app_label}.{content_type.model}:{object_id}",
            "since": coverage.since,
            "until": coverage.until,
        },
    )
    return coverage


@transaction.atomic
def coverage_end(
    *, actor, coverage: Coverage, until: datetime.date | None = None, reason: str = ""
) -> Coverage:
    """Close a coverage link on `until` (default today); it stays in the history."""
    require_role(actor, Role.STAFF, message=NOT_STAFF)
    before = {"until": coverage.until}
    coverage.until = until or timezone.localdate()
    coverage.full_clean()
    coverage.save(update_fields=["until", "updated_at"])
    audit_record(
        actor=actor,
        action="coverage.end",
        obj=coverage,
        before=before,
        after={"until": coverage.until},
        reason=reason,
    )
    return coverage


# Gap → topic ----------------------------------------------------------------------------------------


def _track_for(tech: Technology) -> str:
    # The tracks of DOMAIN.md: mature technology is industrialised, mid-TRL goes to pilot/scale-up,
    # low-TRL work is frontier research.
    trl = tech.trl_current or tech.trl_baseline
    if trl is None:
        return ""
    if trl >= 7:
        return "industrialisation"
    if trl >= 4:
        return "pilot"
    return "frontier"


@transaction.atomic
def gap_topic_create(*, actor, technology: Technology, title: str = "", description: str = "") -> Coverage:
    """Turn a bottleneck gap into a topic in one step: creates the topic through challenges'
    `topic_create` and links it to the technology as topic coverage, in one transaction.

    Refuses a technology that is not a bottleneck or already has an active topic."""
    if not permissions.can_create_topic_from_gap(actor):
        raise PermissionDenied(NOT_STAFF)
    technology = (
        Technology.objects.select_related("link__chain").select_for_update(of=("self",)).get(pk=technology.pk)
    )
    if not technology.is_bottleneck:
        raise ApplicationError(NOT_BOTTLENECK, code="not_bottleneck")
    today = timezone.localdate()
    from .selectors import coverage_states

    state = coverage_states([technology.pk], day=today).get(technology.pk)
    if state is not None and any(c.kind == Coverage.Kind.TOPIC for c in state.planned):
        raise ApplicationError(ALREADY_TOPIC, code="already_covered", status=409)
    chain = technology.link.chain
    title = (title or _("%(name)s 关键技术攻关") % {"name": technology.name}).strip()
    description = description or _(
        "来自攻坚图谱缺口报告：%(chain)s · %(link)s · %(name)s（卡脖子技术，当前无在研项目、平台或联合体覆盖）。"
        "\n%(desc)s"
    ) % {
        "chain": chain.name,
        "link": technology.link.name,
        "name": technology.name,
        "desc": technology.description,
    }
    baseline = technology.trl_current or technology.trl_baseline
    target = technology.trl_target
    if baseline and target and target < baseline:
        target = None
    topic = topic_create(
        actor=actor,
        title=title,
        description=description.strip(),
        industry=chain.name,
        track=_track_for(technology),
        trl_baseline=baseline,
        trl_target=target,
    )
    coverage = coverage_create(
        actor=actor,
        technology=technology,
        kind=Coverage.Kind.TOPIC,
        target=topic,
        since=today,
        note=_("由缺口报告一键生成"),
    )
    audit_record(
        actor=actor,
        action="technology.gap_topic_create",
        obj=technology,
        after={"topic": topic.pk, "coverage": coverage.pk, "title": title},
    )
    return coverage
