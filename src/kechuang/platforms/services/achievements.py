"""A platform's achievements: one by one, or a yearly count by kind (as ingestion records it)."""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.core.audit import audit_record, diff, snapshot
from kechuang.core.exceptions import ApplicationError
from kechuang.core.roles import Role, require_role

from ..models import Achievement, Platform
from ._common import NOT_STAFF


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
    require_role(actor, Role.STAFF, message=_(NOT_STAFF))
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
    require_role(actor, Role.STAFF, message=_(NOT_STAFF))
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
