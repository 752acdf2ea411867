"""Helpers shared by the challenge services: running a machine transition, creating a checked row."""

from kechuang.core.roles import roles_of
from kechuang.core.services import transition_apply


def run(
    *, obj, machine, action: str, actor, reason: str = "", ctx: dict | None = None, extra: dict | None = None
):
    """Run one transition of `machine` on `obj` through core.services.transition_apply (locked, audited)."""
    return transition_apply(
        obj=obj,
        machine=machine,
        action=action,
        actor=actor,
        roles=roles_of(actor),
        reason=reason,
        ctx=ctx,
        extra_updates=extra,
    )


def new(model, **fields):
    """Create a row of `model` after full_clean() (the services' rule for every save)."""
    obj = model(**fields)
    obj.full_clean()
    obj.save()
    return obj
