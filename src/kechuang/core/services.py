"""Writes shared by every app: running a state-machine transition on a row, with lock, checks and audit."""

from django.db import models, transaction
from django.utils import timezone

from .audit import audit_record
from .workflow import StateMachine, Transition


@transaction.atomic
def transition_apply(
    *,
    obj: models.Model,
    machine: StateMachine,
    action: str,
    actor,
    roles,
    reason: str = "",
    field: str = "status",
    ctx: dict | None = None,
    extra_updates: dict | None = None,
) -> Transition:
    """Lock the row, check the transition (state, role, guards), save the new state and audit it.

    Raises InvalidTransition with every reason when refused; nothing is written then.
    """
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    current = getattr(locked, field)
    context = {"reason": reason, "actor": actor, **(ctx or {})}
    t = machine.check(current, action, roles, obj=locked, ctx=context)
    setattr(locked, field, t.target)
    update_fields = [field]
    for name, value in (extra_updates or {}).items():
        setattr(locked, name, value)
        update_fields.append(name)
    if any(f.name == "updated_at" for f in locked._meta.concrete_fields):
        locked.updated_at = timezone.now()
        update_fields.append("updated_at")
    locked.save(update_fields=update_fields)
    audit_record(
        actor=actor,
        action=f"{machine.name}.{action}",
        obj=locked,
        before={field: current},
        after={field: t.target, **{k: v for k, v in (extra_updates or {}).items()}},
        reason=reason,
    )
    # Keep the caller's instance in step with the database.
    for name in update_fields:
        setattr(obj, name, getattr(locked, name))
    return t


def optimistic_save(*, obj: models.Model, expected_version: int, update_fields: list[str]) -> None:
    """Save `update_fields` only if the row still has `expected_version`, bumping it; else raise Conflict.

    For models with a `version` field: two people saving the same record never lose an update silently.
    """
    from .exceptions import STALE_MESSAGE, Conflict

    values = {f: getattr(obj, f) for f in update_fields}
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        values["updated_at"] = timezone.now()
    rows = (
        type(obj)
        .objects.filter(pk=obj.pk, version=expected_version)
        .update(version=models.F("version") + 1, **values)
    )
    if rows != 1:
        raise Conflict(STALE_MESSAGE, code="stale")
    obj.version = expected_version + 1
