"""Reorganisations (merge, split, upgrade, retire) and the merge candidates staff accept or dismiss."""

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.core.audit import audit_record
from kechuang.core.exceptions import ApplicationError
from kechuang.core.roles import Role, require_role

from ..models import MergeDecision, Platform, Reorganisation
from ..workflow import REORGANISATION_SOURCE_ACTION
from ._common import NOT_STAFF
from .registry import platform_create, platform_transition


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
    require_role(actor, Role.STAFF, message=_(NOT_STAFF))
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
    require_role(actor, Role.STAFF, message=_(NOT_STAFF))
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
    require_role(actor, Role.STAFF, message=_(NOT_STAFF))
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
