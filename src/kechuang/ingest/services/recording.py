"""Recording accepted facts in the app that owns them (indicators, platforms) or as an ingest Event."""

from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.core.audit import audit_record, audit_record_many, snapshot
from kechuang.core.exceptions import ApplicationError
from kechuang.indicators.selectors import indicator_lookup
from kechuang.indicators.services import target_set, value_record
from kechuang.platforms.services import achievement_count_record

from ..models import Event, Fact, Mention
from .common import ACHIEVEMENT_WORDS, PLATFORM_WORDS


def record_target(fact: Fact, lookup=None) -> str:
    """Which app records this fact: "indicator", "achievement" or "event" (pure rule on the fact). A fact
    of another region (its `place`) is an event saying that region: never an indicator value of the report's
    region or an achievement of its platform."""
    if fact.other_place:
        return "event"
    if fact.kind in (
        Fact.Kind.PERCENT,
        Fact.Kind.RANK,
        Fact.Kind.TARGET,
        Fact.Kind.MONEY,
    ) and _indicator_code(fact, lookup):
        return "indicator"
    if fact.kind == Fact.Kind.COUNT and any(w in fact.subject for w in PLATFORM_WORDS + ACHIEVEMENT_WORDS):
        return "achievement"
    return "event"


def _indicator_code(fact: Fact, lookup=None) -> str:
    """The code of the indicator whose name (or an alias) is nearest the fact's subject, if near enough;
    `lookup`: indicator_lookup() read once by a caller recording many facts."""
    from rapidfuzz import fuzz

    best, code = 0.0, ""
    for entry_code, name, aliases in lookup if lookup is not None else indicator_lookup():
        for n in [name, *aliases]:
            score = fuzz.ratio(fact.subject, n)
            if score > best:
                best, code = score, entry_code
    return code if best >= 85 else ""


def _platform_id(fact: Fact) -> int | None:
    mention = (
        fact.document.mentions.filter(
            kind=Mention.Kind.PLATFORM, target_id__isnull=False, start__gte=fact.end
        )
        .filter(start__lte=fact.end + 40)
        .order_by("start")
        .first()
    )
    return mention.target_id if mention else None


@transaction.atomic
def fact_record(*, actor, fact: Fact) -> Fact:
    """Turn an accepted fact into a record in the owning app; pending (with the reason) when the app's
    service is missing or the fact lacks what it needs. Idempotent: a recorded fact is left alone."""
    fact = Fact.objects.select_for_update().select_related("document").get(pk=fact.pk)
    if fact.status not in (Fact.Status.ACCEPTED, Fact.Status.EDITED):
        raise ApplicationError(_("只有已采纳的事实可以入库。"), code="not_accepted")
    if fact.record_status == Fact.RecordStatus.RECORDED:
        return fact
    target = record_target(fact)
    ref, note = "", ""
    try:
        if target == "indicator":
            ref, note = _record_indicator(actor, fact)
        elif target == "achievement":
            ref, note = _record_achievement(actor, fact)
        else:
            ref = _record_event(fact)
    except ApplicationError as exc:
        ref, note = "", str(exc.message)
    status = Fact.RecordStatus.RECORDED if ref else Fact.RecordStatus.PENDING
    before = snapshot(fact, ["record_status", "record_kind", "record_ref"])
    fact.record_status, fact.record_kind, fact.record_ref, fact.record_note = (
        status,
        target,
        ref[:100],
        note[:300],
    )
    fact.save(update_fields=["record_status", "record_kind", "record_ref", "record_note", "updated_at"])
    audit_record(
        actor=actor,
        action="fact.record",
        obj=fact,
        before=before,
        after={"record_status": status, "record_kind": target, "record_ref": ref, "note": note},
    )
    return fact


def _period_year(fact: Fact) -> int | None:
    digits = fact.period[:4]
    if digits.isdecimal():
        return int(digits)
    return fact.document.year


def _record_indicator(actor, fact: Fact) -> tuple[str, str]:
    year = _period_year(fact)
    region = fact.document.region
    if not year or not region:
        return "", _("缺少报告年份或地区，补全后可重新入库。")
    if fact.kind == Fact.Kind.TARGET:
        target = target_set(
            actor=actor,
            indicator_code=_indicator_code(fact),
            region=region,
            year=year,
            value=fact.value,
            comparator="<=" if fact.qualifier == "以下" else ">=",
            note=_("来自报告 #%(doc)s：%(quote)s") % {"doc": fact.document_id, "quote": fact.quote[:200]},
        )
        return f"indicators.target:{getattr(target, 'pk', '')}", ""
    value = value_record(
        actor=actor,
        indicator_code=_indicator_code(fact),
        region=region,
        year=year,
        value=fact.value,
        source="report",
        provenance=fact.provenance,
    )
    return f"indicators.value:{getattr(value, 'pk', '')}", ""


def _record_achievement(actor, fact: Fact) -> tuple[str, str]:
    record = achievement_count_record(
        actor=actor,
        platform_id=_platform_id(fact),
        kind=fact.subject,
        count=int(fact.value or 0),
        period=fact.period or str(fact.document.year or ""),
        provenance=fact.provenance,
    )
    return f"platforms.achievement:{getattr(record, 'pk', '')}", ""


def _event_fields(fact: Fact) -> dict:
    """What the Event recording `fact` holds."""
    return {
        "kind": fact.kind,
        "subject": (
            _("%(place)s：%(subject)s") % {"place": fact.other_place, "subject": fact.subject or fact.quote}
            if fact.other_place
            else fact.subject or fact.quote
        )[:200],
        "predicate": fact.predicate,
        "value": fact.value,
        "value_text": fact.value_text,
        "unit": fact.unit,
        "scale": fact.scale,
        "qualifier": fact.qualifier,
        "period": fact.period,
        "provenance": fact.provenance,
    }


def _record_event(fact: Fact) -> str:
    event, _created = Event.objects.update_or_create(fact=fact, defaults=_event_fields(fact))
    event.full_clean()
    return f"ingest.event:{event.pk}"


RECORD_FIELDS = ["record_status", "record_kind", "record_ref", "record_note", "updated_at"]


@transaction.atomic
def facts_record_many(*, actor, facts: list[Fact]) -> list[Fact]:
    """`fact_record` for many accepted facts (locked by the caller, their documents read with them), in a
    number of queries that does not grow with the facts for those recorded as ingest Events (the indicator
    list read once; the events read, created and updated in bulk; the facts' record fields by one bulk
    update; each fact's `fact.record` event by one bulk append to the audit trail). A fact an indicator or a
    platform records goes through `fact_record` (that app's service), one by one. Returns the facts, with
    their documents, in the order given."""
    from django.utils import timezone

    waiting = [f for f in facts if f.record_status != Fact.RecordStatus.RECORDED]
    lookup = None
    if any(f.kind in (Fact.Kind.PERCENT, Fact.Kind.RANK, Fact.Kind.TARGET, Fact.Kind.MONEY) for f in waiting):
        lookup = indicator_lookup()
    targets = {f.pk: record_target(f, lookup) for f in waiting}
    as_events = [f for f in waiting if targets[f.pk] == "event"]
    elsewhere = {f.pk: fact_record(actor=actor, fact=f) for f in waiting if targets[f.pk] != "event"}
    if as_events:
        existing = {e.fact_id: e for e in Event.objects.filter(fact__in=as_events)}
        new, changed = [], []
        for fact in as_events:
            fields = _event_fields(fact)
            event = existing.get(fact.pk)
            if event is None:
                event = Event(fact=fact, **fields)
                new.append(event)
            else:
                for name, value in fields.items():
                    setattr(event, name, value)
                changed.append(event)
            # (one event per fact, its fact the row in hand: neither read back row by row)
            event.full_clean(exclude=["fact"], validate_unique=False, validate_constraints=False)
        now = timezone.now()
        Event.objects.bulk_create(new)
        if changed:
            for event in changed:
                event.updated_at = now
            Event.objects.bulk_update(changed, [*_event_fields(as_events[0]), "updated_at"])
        made = {e.fact_id: e for e in new}
        rows = []
        for fact in as_events:
            before = snapshot(fact, ["record_status", "record_kind", "record_ref"])
            event = existing.get(fact.pk) or made[fact.pk]
            ref = f"ingest.event:{event.pk}"
            fact.record_status, fact.record_kind, fact.record_ref, fact.record_note = (
                Fact.RecordStatus.RECORDED,
                "event",
                ref[:100],
                "",
            )
            fact.updated_at = now
            after = {
                "record_status": fact.record_status,
                "record_kind": "event",
                "record_ref": ref,
                "note": "",
            }
            rows.append((fact, before, after))
        Fact.objects.bulk_update(as_events, RECORD_FIELDS)
        audit_record_many(actor=actor, action="fact.record", rows=rows)
    return [elsewhere.get(f.pk, f) for f in facts]


def fact_record_pending(*, actor) -> int:
    """Retry every accepted fact whose record is pending; returns how many got recorded."""
    done = 0
    for fact in Fact.objects.filter(record_status=Fact.RecordStatus.PENDING):
        if fact_record(actor=actor, fact=fact).record_status == Fact.RecordStatus.RECORDED:
            done += 1
    return done
