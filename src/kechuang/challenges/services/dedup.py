"""Duplicate check (查重): every submitted application compared with every other — this challenge, earlier
ones, every programme — by the text of its title, goals and plan (MinHash/LSH over character 3-grams,
`challenges.dedup`) and by the people of its team. The index grows as applications are submitted (the job
`challenges.dedup_index`) and is rebuilt by `kechuang dedup rebuild`; pairs above the thresholds wait for
staff at the formal check, who record a decision (audited)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kechuang.core.audit import audit_record
from kechuang.core.jobs import job_submit
from kechuang.core.messages import Message
from kechuang.core.roles import Role, SystemActor, actor_roles, require_role
from kechuang.core.services import transition_apply

from .. import dedup
from ..models import Application, ApplicationMember, DuplicateIndexEntry, DuplicatePair
from ..workflow_dedup import DUPLICATE, DuplicateStatus

DEDUP = SystemActor("dedup", frozenset({Role.STAFF.value}))  # who queues the check (the job's own actor too)

# Applications that were submitted at some point (a draft is nobody's claim yet).
INDEXED = ("draft",)


def application_text(app: Application) -> str:
    goals = []
    for m in app.milestones.all():
        goals.append(m.title)
        goals.extend(f"{k}{v}" for k, v in (m.targets or {}).items())
    return dedup.document(title=app.title, goals=goals, plan=app.plan, boilerplate=[app.challenge.title])


def application_people(app: Application) -> list[str]:
    return [str(app.leader), *[m.name for m in app.members.all()]]


def application_people_keys(app: Application) -> list[str]:
    """Each person as name at unit (the member's own unit, else the applicant unit): the same name at two
    units is two people."""
    keys = [f"{dedup.people_key(str(app.leader))}@{app.unit_id}"]
    keys += [f"{dedup.people_key(m.name)}@{m.unit_id or app.unit_id}" for m in app.members.all()]
    return keys


def _load(pks) -> dict[int, Application]:
    qs = (
        Application.objects.filter(pk__in=list(pks))
        .select_related("challenge", "leader")
        .prefetch_related("milestones", "members")
    )
    return {a.pk: a for a in qs}


def _people_candidates(app: Application) -> set[int]:
    names = {dedup.people_key(n) for n in application_people(app)} - {""}
    if not names:
        return set()
    by_member = set(
        ApplicationMember.objects.filter(name__in=[n for n in application_people(app)]).values_list(
            "application_id", flat=True
        )
    )
    by_leader = set(
        Application.objects.filter(
            Q(leader_id=app.leader_id) | Q(leader__full_name__in=list(names))
        ).values_list("pk", flat=True)
    )
    return (by_member | by_leader) - {app.pk}


@transaction.atomic
def dedup_index(*, actor, application: Application) -> list[DuplicatePair]:
    """Index one submitted application and record every pair it makes with the applications indexed or
    submitted before: text Jaccard ≥ dedup.THRESHOLD, or teams sharing ≥ dedup.PEOPLE_THRESHOLD of the
    smaller one (the same leader always). Existing pairs keep their decision; their scores are refreshed."""
    app = _load([application.pk])[application.pk]
    text = application_text(app)
    grams = dedup.shingles(text)
    keys = dedup.band_keys(dedup.signature(grams)) if grams else []
    DuplicateIndexEntry.objects.filter(application=app).delete()
    DuplicateIndexEntry.objects.bulk_create(
        [DuplicateIndexEntry(application=app, key=k) for k in sorted(set(keys))], ignore_conflicts=True
    )
    if app.status in INDEXED:
        return []
    text_candidates = set(
        DuplicateIndexEntry.objects.filter(key__in=keys)
        .exclude(application=app)
        .values_list("application_id", flat=True)
    )
    candidates = _load((text_candidates | _people_candidates(app)) - {app.pk})
    found = []
    people = application_people(app)
    for other in candidates.values():
        if other.status in INDEXED:
            continue
        score = round(dedup.jaccard(grams, dedup.shingles(application_text(other))), 4)
        shared, people_score = dedup.people_overlap(
            people,
            application_people(other),
            keys_a=application_people_keys(app),
            keys_b=application_people_keys(other),
        )
        same_leader = other.leader_id == app.leader_id
        if score < dedup.THRESHOLD and people_score < dedup.PEOPLE_THRESHOLD and not same_leader:
            continue
        left, right = sorted((app.pk, other.pk))
        pair, created = DuplicatePair.objects.get_or_create(
            left_id=left,
            right_id=right,
            defaults={"text_score": score, "people_score": people_score, "shared_people": shared},
        )
        if not created:
            DuplicatePair.objects.filter(pk=pair.pk).update(
                text_score=score, people_score=people_score, shared_people=shared
            )
        else:
            audit_record(
                actor=actor,
                action="duplicate_pair.found",
                obj=pair,
                after={"left": left, "right": right, "text_score": score, "people_score": people_score},
            )
        found.append(pair)
    return found


def dedup_submit(*, actor, application: Application):
    """Queue the index job for a just-submitted application (after the transaction commits). The job is the
    system's (`dedup`), not the submitter's: its result counts the applications found like this one, which
    is staff's to read at the formal check, never the applicant's (docs/security.md §52). `actor` is the
    submitter, audited on the submission itself."""
    transaction.on_commit(
        lambda: job_submit(
            kind="challenges.dedup_index",
            params={"application_id": application.pk},
            actor=DEDUP,
            title=Message(gettext_noop("查重：%(t)s"), t=application.title),
        )
    )


def dedup_rebuild(*, actor, progress: Callable[[float, str], None] | None = None) -> dict:
    """Rebuild the index from every application in submission order (each compared with those before it);
    decisions already recorded on pairs are kept. Staff or the command line."""
    require_role(actor, Role.STAFF, message=_("只有科技厅工作人员可以重建查重索引。"))
    pks = list(Application.objects.order_by("submitted_at", "pk").values_list("pk", flat=True))
    DuplicateIndexEntry.objects.all().delete()
    pairs = 0
    for n, pk in enumerate(pks, start=1):
        pairs += len(dedup_index(actor=actor, application=Application(pk=pk)))
        if progress and n % 50 == 0:
            progress(100 * n / len(pks), _("已索引 %(n)d 项") % {"n": n})
    return {"applications": len(pks), "pairs": DuplicatePair.objects.count(), "checked": pairs}


@transaction.atomic
def duplicate_decide(*, actor, pair: DuplicatePair, action: str, note: str) -> DuplicatePair:
    """Record the decision on a pair: `clear` (not the same work), `confirm` (the same work submitted
    twice), or `reopen`; with a note. Staff; audited by the transition."""
    require_role(actor, Role.STAFF, message=_("只有科技厅工作人员可以作出查重结论。"))
    note = (note or "").strip()
    transition_apply(
        obj=pair,
        machine=DUPLICATE,
        action=action,
        actor=actor,
        roles=actor_roles(actor),
        reason=note,
        extra_updates={
            "note": note,
            "decided_by": actor if getattr(actor, "pk", None) else None,
            "decided_at": timezone.now() if action != "reopen" else None,
        },
    )
    pair.refresh_from_db()
    return pair


def open_pairs_count() -> int:
    return DuplicatePair.objects.filter(status=DuplicateStatus.OPEN).count()
