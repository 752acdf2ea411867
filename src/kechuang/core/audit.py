"""Writing and reading the audit trail. Every state change in Kechuang goes through `audit_record`."""

import dataclasses
import datetime
import decimal
import uuid
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models

from . import bigram, context
from .models import AuditEvent
from .roles import is_system


def _json_safe(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_safe(v) for v in value]
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "name") and hasattr(value, "url"):  # a FieldFile
        return value.name or None
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict:
    """The JSON-safe values of an object's concrete fields (or of `fields`), for the before/after of an event."""
    names = list(fields) if fields is not None else [f.attname for f in obj._meta.concrete_fields]
    return {name: _json_safe(getattr(obj, name, None)) for name in names}


BOOKKEEPING_FIELDS = frozenset({"created_at", "updated_at", "version"})


def diff(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys whose values changed, as (before, after); timestamps and versions are left out."""
    keys = [k for k in after if k not in BOOKKEEPING_FIELDS and before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    object_repr: str | None = None,
) -> AuditEvent:
    """Append one event to the audit trail. Never updates or deletes an existing one."""
    actor_obj, actor_repr = _actor(actor)
    ctx = context.current()
    event = AuditEvent(
        actor=actor_obj,
        actor_repr=actor_repr,
        action=action,
        before=_json_safe(before) if before is not None else None,
        after=_json_safe(after) if after is not None else None,
        reason=reason or "",
        ip_address=ctx.ip_address,
        request_id=ctx.request_id,
    )
    if obj is not None:
        event.content_type = ContentType.objects.get_for_model(obj.__class__)
        event.object_id = str(obj.pk)
        event.object_repr = (object_repr if object_repr is not None else str(obj))[:300]
    elif object_repr:
        event.object_repr = object_repr[:300]
    event.save()
    return event


def _actor(actor) -> tuple:
    """The event's actor (a signed-in user, else None) and its name: a person by the public-name rule
    (`str(user)`: the name, else the unit and role; never the login name, which rows written before session 18
    hold: shown through `actor`, docs/security.md §19), a system actor by its name, else "system"."""
    if isinstance(actor, str):
        raise TypeError(f"an actor is a user or a core.roles.SystemActor, not the name {actor!r}")
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return actor_obj, (str(actor_obj)[:200] if actor_obj else (actor.name if is_system(actor) else "system"))


def audit_record_many(
    *,
    actor,
    action: str,
    rows: Iterable[tuple[models.Model, dict | None, dict | None]],
    reason: str = "",
) -> list[AuditEvent]:
    """Append one event per (object, before, after) of `rows`, each the event `audit_record` would write for
    it (same actor, action, reason, request), in their order: linked to the chain together (one lock, one
    head update) and inserted by one bulk insert, so a change made to many rows at once (a bulk acceptance)
    is audited row by row in a number of queries that does not grow with the rows. Never updates or deletes
    an existing event. Runs inside a transaction (its own, or the caller's)."""
    from django.db import transaction

    from .auditchain import chain_append

    actor_obj, actor_repr = _actor(actor)
    ctx = context.current()
    events = []
    for obj, before, after in rows:
        events.append(
            AuditEvent(
                actor=actor_obj,
                actor_repr=actor_repr,
                action=action,
                before=_json_safe(before) if before is not None else None,
                after=_json_safe(after) if after is not None else None,
                reason=reason or "",
                ip_address=ctx.ip_address,
                request_id=ctx.request_id,
                content_type=ContentType.objects.get_for_model(obj.__class__),
                object_id=str(obj.pk),
                object_repr=str(obj)[:300],
            )
        )
    if not events:
        return events
    for event in events:
        event.index_name()
    with transaction.atomic():
        chain_append(events)
        AuditEvent.objects.bulk_create(events)
    return events


def audit_trail_for(obj: models.Model):
    """The events about one object, newest first, with their actors."""
    return AuditEvent.objects.for_object(obj).select_related("actor")


@dataclasses.dataclass(frozen=True)
class PartTrail:
    """The trail of an object's parts that its page shows with its own (`{% audit_trail obj parts=… %}`): the
    rows (held by the page, named on their lines) and the events about them, newest first."""

    rows: list
    events: list


def audit_trail_for_rows(model, keys: Iterable) -> models.QuerySet:
    """The events about some rows of one model (an object's parts its page shows with it: a challenge's
    target indicators), newest first, with their actors' units: one query, whatever the number of rows (the
    content type by its natural key in the same query, read with the events anyway: no lookup of it first)."""
    meta = model._meta
    return AuditEvent.objects.filter(
        content_type__app_label=meta.app_label,
        content_type__model=meta.model_name,
        object_id__in=[str(k) for k in keys],
    ).select_related("actor__unit", "content_type")


def audit_events_named(qs: models.QuerySet, name: str) -> models.QuerySet:
    """The events of `qs` whose object's name, as the event recorded it (`object_repr`), contains `name` (any
    case), found through the events' name index (`object_bigrams`, core.bigram), not a scan of the trail: the
    audit page's and the API's search."""
    return qs.filter(bigram.matches("object_bigrams", name, "object_repr"))


def audit_trail_for_key(content_type, object_id):
    """audit_trail_for by the object's content type and key (the key as stored: text)."""
    return AuditEvent.objects.filter(content_type=content_type, object_id=object_id).select_related("actor")
