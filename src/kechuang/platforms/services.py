"""Every write to the platform registry. Each service re-checks permission, validates, and audits.

Dated links (StatusPeriod, Affiliation, Membership) are only ever closed (an end date set) or opened, never
rewritten, so any past date can still be counted exactly.
"""

import datetime
import re
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.accounts.models import Unit
from kechuang.core.audit import audit_record, diff, snapshot
from kechuang.core.exceptions import ApplicationError, Conflict, PermissionDenied
from kechuang.core.roles import Role, has_role, roles_of
from kechuang.core.services import optimistic_save, transition_apply

from . import permissions, search
from .models import (
    NATIONAL_KINDS,
    REPORT_NUMBERS,
    Achievement,
    Affiliation,
    Level,
    Membership,
    MergeDecision,
    Operator,
    Platform,
    Reorganisation,
    Status,
    StatusPeriod,
    YearlyReport,
)
from .workflow import PLATFORM_MACHINE, REORGANISATION_SOURCE_ACTION, REPORT_MACHINE

NOT_STAFF = "只有科技厅工作人员可以修改平台登记信息。"
EDITABLE = (
    "name",
    "name_en",
    "short_name",
    "kind",
    "level",
    "co_built",
    "province",
    "city",
    "disciplines",
    "industries",
    "mission",
    "established",
    "published",
)


def _roles(actor) -> frozenset[str]:
    # Loaders and commands act as "demo"/"system" strings, with every role.
    return frozenset(Role.values) if isinstance(actor, str) else roles_of(actor)


def _require_staff(actor) -> None:
    if isinstance(actor, str):
        return
    if not has_role(actor, Role.STAFF):
        raise PermissionDenied(_(NOT_STAFF))


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in re.split(r"[,，;；、\n]", value) if v.strip()]
    return [str(v).strip() for v in value if str(v).strip()]


def default_level(kind: str) -> str:
    """National kinds are national; everything else is provincial."""
    return Level.NATIONAL if kind in NATIONAL_KINDS else Level.PROVINCIAL


def _refresh_search(platform: Platform) -> None:
    platform.search_text = search.search_text(
        platform.name,
        platform.short_name,
        platform.name_en,
        platform.mission,
        platform.disciplines,
        platform.industries,
        platform.city,
        platform.host.name if platform.host_id else "",
        platform.host.short_name if platform.host_id else "",
    )


# --- platforms ---------------------------------------------------------------------------------------


@transaction.atomic
def platform_create(
    *,
    actor,
    code: str,
    name: str,
    kind: str,
    host: Unit,
    established: datetime.date,
    status: str = Status.OPERATING,
    level: str = "",
    cohosts: Sequence[Unit] = (),
    **fields,
) -> Platform:
    """A validated platform with its opening status period and host (and co-host) links from
    `established`, audited. A platform may be registered directly in any live status."""
    _require_staff(actor)
    if status not in (Status.BUILDING, Status.TRIAL, Status.OPERATING):
        raise ApplicationError(_("新登记的平台只能处于建设中、试运行或运行中。"), code="invalid")
    platform = Platform(
        code=code.strip(),
        name=name.strip(),
        kind=kind,
        level=level or default_level(kind),
        host=host,
        established=established,
        status=status,
        **{k: v for k, v in fields.items() if k in EDITABLE or k == "is_demo"},
    )
    platform.disciplines = _as_list(platform.disciplines)
    platform.industries = _as_list(platform.industries)
    if not platform.city:
        platform.city = host.city
    if not platform.province:
        platform.province = host.province
    _refresh_search(platform)
    platform.full_clean()
    platform.save()
    StatusPeriod.objects.create(platform=platform, status=status, start=established)
    Affiliation.objects.create(platform=platform, unit=host, role=Affiliation.Role.HOST, start=established)
    for unit in cohosts:
        Affiliation.objects.create(
            platform=platform, unit=unit, role=Affiliation.Role.COHOST, start=established
        )
    audit_record(
        actor=actor,
        action="platform.create",
        obj=platform,
        after={
            **snapshot(platform, ["code", "name", "kind", "level", "status", "established", "host_id"]),
            "cohosts": [u.pk for u in cohosts],
        },
    )
    return platform


@transaction.atomic
def platform_update(
    *, actor, platform: Platform, expected_version: int, reason: str = "", **fields
) -> Platform:
    """Change a platform's descriptive fields under optimistic locking (a stale version raises Conflict
    and saves nothing). Status and host change through their own services, with dates."""
    _require_staff(actor)
    platform = Platform.objects.select_related("host").get(pk=platform.pk)
    before = snapshot(platform, EDITABLE)
    for name, value in fields.items():
        if name not in EDITABLE:
            continue
        if name in ("disciplines", "industries"):
            value = _as_list(value)
        setattr(platform, name, value)
    _refresh_search(platform)
    platform.full_clean(exclude=["code"])
    b, a = diff(before, snapshot(platform, EDITABLE))
    optimistic_save(obj=platform, expected_version=expected_version, update_fields=[*EDITABLE, "search_text"])
    if a:
        audit_record(actor=actor, action="platform.update", obj=platform, before=b, after=a, reason=reason)
    return platform


@transaction.atomic
def platform_transition(
    *, actor, platform: Platform, action: str, on: datetime.date | None = None, reason: str = ""
) -> Platform:
    """Move a platform to a new status from date `on` (default today): the current status period ends on
    `on` and the new one starts there. `on` may not precede the current period's start."""
    on = on or timezone.localdate()
    current = StatusPeriod.objects.select_for_update().filter(platform=platform, end__isnull=True).first()
    if current is not None and on < current.start:
        raise ApplicationError(
            _("状态变更日期不能早于当前状态的开始日期（%(start)s）。") % {"start": current.start},
            code="invalid_date",
        )
    transition_apply(
        obj=platform,
        machine=PLATFORM_MACHINE,
        action=action,
        actor=actor,
        roles=_roles(actor),
        reason=reason,
        ctx={"on": on},
    )
    if current is not None:
        current.end = on
        current.save(update_fields=["end", "updated_at"])
    StatusPeriod.objects.create(platform=platform, status=platform.status, start=on, note=reason[:300])
    return platform


@transaction.atomic
def platform_host_change(
    *, actor, platform: Platform, unit: Unit, on: datetime.date, reason: str = ""
) -> Platform:
    """The platform moves to a new host unit from `on`: the old host link ends, a new one opens."""
    _require_staff(actor)
    old = Affiliation.objects.filter(platform=platform, role=Affiliation.Role.HOST, end__isnull=True).first()
    if old is not None:
        if old.unit_id == unit.pk:
            raise ApplicationError(_("该单位已是此平台的依托单位。"), code="invalid")
        if on < old.start:
            raise ApplicationError(_("变更日期不能早于现依托关系的开始日期。"), code="invalid_date")
        old.end = on
        old.save(update_fields=["end", "updated_at"])
    Affiliation.objects.create(platform=platform, unit=unit, role=Affiliation.Role.HOST, start=on)
    before = platform.host_id
    platform.host = unit
    _refresh_search(platform)
    platform.save(update_fields=["host", "search_text", "updated_at"])
    audit_record(
        actor=actor,
        action="platform.host_change",
        obj=platform,
        before={"host_id": before},
        after={"host_id": unit.pk, "on": on},
        reason=reason,
    )
    return platform


@transaction.atomic
def cohost_add(*, actor, platform: Platform, unit: Unit, start: datetime.date) -> Affiliation:
    """A co-host (共建单位) link from `start`."""
    _require_staff(actor)
    link = Affiliation(platform=platform, unit=unit, role=Affiliation.Role.COHOST, start=start)
    link.full_clean()
    link.save()
    audit_record(
        actor=actor, action="platform.cohost_add", obj=platform, after={"unit": unit.pk, "start": start}
    )
    return link


# --- members ----------------------------------------------------------------------------------------


@transaction.atomic
def membership_add(
    *, actor, platform: Platform, unit: Unit, joined: datetime.date, role: str = Membership.Role.MEMBER
) -> Membership:
    """A unit joins an alliance or consortium on `joined`. One open membership per unit; one lead at a time."""
    _require_staff(actor)
    if not platform.has_members:
        raise ApplicationError(_("只有产业技术联盟和企业创新联合体有成员单位。"), code="invalid")
    if joined < platform.established:
        raise ApplicationError(_("加入日期不能早于平台成立日期。"), code="invalid_date")
    if Membership.objects.filter(platform=platform, unit=unit, left__isnull=True).exists():
        raise ApplicationError(_("%(unit)s 已是该平台的成员单位。") % {"unit": unit.name}, code="duplicate")
    if (
        role == Membership.Role.LEAD
        and Membership.objects.filter(
            platform=platform, role=Membership.Role.LEAD, left__isnull=True
        ).exists()
    ):
        raise ApplicationError(_("该平台已有牵头单位；请先办理原牵头单位退出。"), code="duplicate")
    m = Membership(platform=platform, unit=unit, role=role, joined=joined)
    m.full_clean()
    m.save()
    audit_record(
        actor=actor,
        action="membership.add",
        obj=platform,
        after={"unit": unit.pk, "unit_name": unit.name, "role": role, "joined": joined},
    )
    return m


@transaction.atomic
def membership_end(*, actor, membership: Membership, left: datetime.date, reason: str = "") -> Membership:
    """The unit leaves on `left` (it is no longer counted from that day)."""
    _require_staff(actor)
    m = Membership.objects.select_for_update().get(pk=membership.pk)
    if m.left is not None:
        raise ApplicationError(_("该单位已退出。"), code="invalid")
    if left < m.joined:
        raise ApplicationError(_("退出日期不能早于加入日期。"), code="invalid_date")
    m.left = left
    m.save(update_fields=["left", "updated_at"])
    audit_record(
        actor=actor,
        action="membership.end",
        obj=m.platform,
        before={"unit": m.unit_id, "left": None},
        after={"unit": m.unit_id, "left": left},
        reason=reason,
    )
    return m


# --- achievements -----------------------------------------------------------------------------------


@transaction.atomic
def achievement_create(
    *,
    actor,
    platform: Platform,
    kind: str,
    title: str,
    year: int,
    evidence: str = "",
    evidence_file=None,
    source: str = Achievement.Source.TYPED,
) -> Achievement:
    """One achievement with its evidence, audited."""
    _require_staff(actor)
    a = Achievement(platform=platform, kind=kind, title=title, year=year, evidence=evidence, source=source)
    if evidence_file:
        a.evidence_file = evidence_file
    a.full_clean()
    a.save()
    audit_record(
        actor=actor,
        action="achievement.create",
        obj=a,
        after=snapshot(a, ["platform_id", "kind", "title", "year"]),
    )
    return a


def achievement_kind_of(label: str) -> str:
    """Map a report's wording (or a code) to an achievement kind."""
    label = (label or "").strip()
    if label in Achievement.Kind.values:
        return label
    if "进口替代" in label or "替代进口" in label:
        return Achievement.Kind.IMPORT_SUBSTITUTION
    if "领先" in label:
        return Achievement.Kind.LEADING
    if "需求" in label or "难题" in label:
        return Achievement.Kind.INDUSTRY_NEED
    return Achievement.Kind.OTHER


@transaction.atomic
def achievement_count_record(
    *, actor, platform_id: int | None, kind: str, count: int, period: str, provenance: dict
) -> Achievement:
    """Store an accepted count fact from an ingested report (e.g. "74 import-substitution technologies")
    as one Achievement row with `count` and its provenance. Recording the same fact again (same
    provenance) updates it instead of counting it twice."""
    _require_staff(actor)
    if count < 1:
        raise ApplicationError(_("成果数量必须是正整数。"), code="invalid")
    match = re.search(r"(19|20)\d{2}", period or "")
    year = int(match.group(0)) if match else timezone.localdate().year
    platform = Platform.objects.filter(pk=platform_id).first() if platform_id else None
    if platform_id and platform is None:
        raise ApplicationError(_("平台不存在。"), code="not_found")
    code = achievement_kind_of(kind)
    provenance = dict(provenance or {})
    existing = (
        Achievement.objects.filter(source=Achievement.Source.REPORT, provenance=provenance).first()
        if provenance
        else None
    )
    if existing is not None:
        before = snapshot(existing, ["count", "kind", "year", "platform_id"])
        existing.count, existing.kind, existing.year, existing.platform = count, code, year, platform
        existing.full_clean()
        existing.save(update_fields=["count", "kind", "year", "platform", "updated_at"])
        b, a = diff(before, snapshot(existing, ["count", "kind", "year", "platform_id"]))
        if a:
            audit_record(actor=actor, action="achievement.count_update", obj=existing, before=b, after=a)
        return existing
    a = Achievement(
        platform=platform,
        kind=code,
        title=(kind or str(Achievement.Kind(code).label))[:300],
        year=year,
        count=count,
        period=(period or "")[:40],
        source=Achievement.Source.REPORT,
        provenance=provenance,
        evidence=str(provenance.get("quote", ""))[:2000],
    )
    a.full_clean()
    a.save()
    audit_record(
        actor=actor,
        action="achievement.count_record",
        obj=a,
        after={
            "platform_id": platform_id,
            "kind": code,
            "count": count,
            "period": period,
            "provenance": provenance,
        },
    )
    return a


# --- operators and yearly reports -------------------------------------------------------------------


@transaction.atomic
def operator_assign(*, actor, platform: Platform, user) -> Operator:
    """Link an operator user to a platform (they then file its yearly reports)."""
    _require_staff(actor)
    if not has_role(user, Role.OPERATOR):
        raise ApplicationError(_("该用户没有平台运营人员角色。"), code="invalid")
    link, created = Operator.objects.get_or_create(platform=platform, user=user)
    if created:
        audit_record(actor=actor, action="platform.operator_assign", obj=platform, after={"user": user.pk})
    return link


@transaction.atomic
def operator_remove(*, actor, platform: Platform, user, reason: str = "") -> None:
    """Unlink an operator from a platform."""
    _require_staff(actor)
    if Operator.objects.filter(platform=platform, user=user).delete()[0]:
        audit_record(
            actor=actor,
            action="platform.operator_remove",
            obj=platform,
            before={"user": user.pk},
            reason=reason,
        )


def _report_values(values: dict) -> dict:
    out = {}
    for name in (*REPORT_NUMBERS, "summary"):
        if name in values and values[name] is not None:
            out[name] = values[name]
    return out


@transaction.atomic
def report_create(*, actor, platform: Platform, year: int, **values) -> YearlyReport:
    """The operator starts the year's report (a draft). One report per platform and year."""
    if not isinstance(actor, str) and not permissions.can_file_report(actor, platform):
        raise PermissionDenied(_("只有该平台的运营人员可以填报年度报告。"))
    if YearlyReport.objects.filter(platform=platform, year=year).exists():
        raise Conflict(_("该平台 %(year)s 年度报告已存在。") % {"year": year}, code="duplicate")
    report = YearlyReport(platform=platform, year=year, **_report_values(values))
    report.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
    report.full_clean()
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise Conflict(_("该平台 %(year)s 年度报告已存在。") % {"year": year}, code="duplicate")
    audit_record(
        actor=actor,
        action="yearly_report.create",
        obj=report,
        after=snapshot(report, ["platform_id", "year", *REPORT_NUMBERS]),
    )
    return report


@transaction.atomic
def report_update(*, actor, report: YearlyReport, expected_version: int, **values) -> YearlyReport:
    """The operator edits a draft or returned report (optimistic locking: a stale form is refused)."""
    report = YearlyReport.objects.select_related("platform").get(pk=report.pk)
    if not isinstance(actor, str) and not permissions.can_edit_report(actor, report):
        raise PermissionDenied(_("您不能修改此年度报告（仅运营人员可修改草稿或被退回的报告）。"))
    fields = [*REPORT_NUMBERS, "summary"]
    before = snapshot(report, fields)
    for k, v in _report_values(values).items():
        setattr(report, k, v)
    try:
        report.full_clean(exclude=["platform", "year"])
    except ValidationError:
        raise
    optimistic_save(obj=report, expected_version=expected_version, update_fields=fields)
    b, a = diff(before, snapshot(report, fields))
    if a:
        audit_record(actor=actor, action="yearly_report.update", obj=report, before=b, after=a)
    return report


@transaction.atomic
def report_transition(*, actor, report: YearlyReport, action: str, reason: str = "") -> YearlyReport:
    """submit (operator of the platform), return with a reason / accept / reopen (staff). Notifies the
    other side."""
    from kechuang.core.notifications import notify

    report = YearlyReport.objects.select_related("platform").get(pk=report.pk)
    if action == "submit" and not isinstance(actor, str) and not permissions.operates(actor, report.platform):
        raise PermissionDenied(_("只有该平台的运营人员可以提交年度报告。"))
    extra = {"return_reason": reason} if action in ("return", "reopen") else {}
    if action == "submit":
        extra["submitted_by"] = actor if getattr(actor, "is_authenticated", False) else None
    transition_apply(
        obj=report,
        machine=REPORT_MACHINE,
        action=action,
        actor=actor,
        roles=_roles(actor),
        reason=reason,
        extra_updates=extra,
    )
    url = report.get_absolute_url()
    if action == "submit":
        from kechuang.accounts.models import User

        staff = User.objects.filter(groups__name=Role.STAFF, is_active=True)
        notify(
            recipients=staff,
            title=_("年度报告待审核：%(p)s %(y)s") % {"p": report.platform.name, "y": report.year},
            url=url,
            kind="platforms.report",
        )
    elif action in ("return", "reopen"):
        operators = [o.user for o in report.platform.operators.select_related("user")]
        notify(
            recipients=operators,
            title=_("年度报告被退回：%(p)s %(y)s") % {"p": report.platform.name, "y": report.year},
            body=reason,
            url=url,
            kind="platforms.report",
        )
    return report


# --- reorganisation ---------------------------------------------------------------------------------


def _check_cardinality(kind: str, n_sources: int, n_targets: int) -> None:
    ok = {
        "merge": n_sources >= 2 and n_targets == 1,
        "split": n_sources == 1 and n_targets >= 2,
        "upgrade": n_sources == 1 and n_targets == 1,
        "retire": n_sources >= 1 and n_targets == 0,
    }.get(kind)
    if ok is None:
        raise ApplicationError(_("未知的重组类型。"), code="invalid")
    if not ok:
        raise ApplicationError(
            _(
                "重组类型与平台数量不符：合并为多个原平台→一个新平台，拆分为一→多，升级为一→一，撤销不设新平台。"
            ),
            code="invalid",
        )


@transaction.atomic
def reorganisation_create(
    *,
    actor,
    kind: str,
    date: datetime.date,
    sources: Sequence[Platform],
    targets: Sequence[Platform] = (),
    note: str = "",
    batch: str = "",
) -> Reorganisation:
    """Record a merge/split/upgrade/retirement on `date`: every source platform leaves service on that
    date (merged, reorganised or retired) and the lineage links sources to targets. All or nothing."""
    _require_staff(actor)
    sources, targets = list(sources), list(targets)
    _check_cardinality(kind, len(sources), len(targets))
    overlap = {p.pk for p in sources} & {p.pk for p in targets}
    if overlap:
        raise ApplicationError(_("同一平台不能既是原平台又是新平台。"), code="invalid")
    for t in targets:
        if t.established > date:
            raise ApplicationError(
                _("新平台“%(name)s”的成立日期晚于重组日期。") % {"name": t.name}, code="invalid_date"
            )
    reorg = Reorganisation(kind=kind, date=date, note=note, batch=batch)
    reorg.full_clean()
    reorg.save()
    reorg.sources.set(sources)
    reorg.targets.set(targets)
    reason = note or str(Reorganisation.Kind(kind).label)
    for p in sources:
        platform_transition(
            actor=actor, platform=p, action=REORGANISATION_SOURCE_ACTION[kind], on=date, reason=reason
        )
    audit_record(
        actor=actor,
        action="reorganisation.create",
        obj=reorg,
        after={
            "kind": kind,
            "date": date,
            "sources": [p.pk for p in sources],
            "targets": [p.pk for p in targets],
            "batch": batch,
        },
        reason=note,
    )
    return reorg


@transaction.atomic
def merge_candidate_accept(
    *, actor, a: Platform, b: Platform, code: str, name: str, date: datetime.date, reason: str = ""
) -> Reorganisation:
    """Staff accept an overlap proposal: a new platform (same host, union of disciplines and industries)
    is registered on `date` and the two merge into it."""
    _require_staff(actor)
    a, b = sorted([a, b], key=lambda p: p.pk)
    if MergeDecision.objects.filter(platform_a=a, platform_b=b).exists():
        raise ApplicationError(_("已对这对平台作出决定。"), code="duplicate")
    target = platform_create(
        actor=actor,
        code=code,
        name=name,
        kind=a.kind,
        host=a.host,
        established=date,
        level=a.level,
        city=a.city,
        province=a.province,
        disciplines=list(dict.fromkeys([*a.disciplines, *b.disciplines])),
        industries=list(dict.fromkeys([*a.industries, *b.industries])),
        mission="\n".join(filter(None, [a.mission, b.mission])),
    )
    reorg = reorganisation_create(
        actor=actor, kind="merge", date=date, sources=[a, b], targets=[target], note=reason
    )
    decision = MergeDecision.objects.create(
        platform_a=a,
        platform_b=b,
        decision=MergeDecision.Decision.ACCEPTED,
        reason=reason,
        reorganisation=reorg,
    )
    audit_record(
        actor=actor,
        action="merge_candidate.accept",
        obj=decision,
        after={"a": a.pk, "b": b.pk, "target": target.pk},
        reason=reason,
    )
    return reorg


@transaction.atomic
def merge_candidate_dismiss(*, actor, a: Platform, b: Platform, reason: str) -> MergeDecision:
    """Staff decide a proposed pair should stay apart; it is not proposed again."""
    _require_staff(actor)
    if not reason.strip():
        raise ApplicationError(_("请填写不合并的理由。"), code="invalid", fields={"reason": [_("必填")]})
    a, b = sorted([a, b], key=lambda p: p.pk)
    decision, created = MergeDecision.objects.get_or_create(
        platform_a=a, platform_b=b, defaults={"decision": MergeDecision.Decision.DISMISSED, "reason": reason}
    )
    if not created:
        raise ApplicationError(_("已对这对平台作出决定。"), code="duplicate")
    audit_record(
        actor=actor,
        action="merge_candidate.dismiss",
        obj=decision,
        after={"a": a.pk, "b": b.pk},
        reason=reason,
    )
    return decision
