"""Helpers shared by the challenge services: the actor's roles and running a machine transition."""

from kechuang.core.roles import roles_of
from kechuang.core.services import transition_apply

from ..workflow import SYSTEM


def roles_for(actor) -> frozenset[str]:
    """The actor's roles; the string "system" (daily jobs, commands) acts with the system pseudo-role."""
    if actor == SYSTEM:
        return frozenset({SYSTEM})
    return roles_of(actor)


def run(
    *, obj, machine, action: str, actor, reason: str = "", ctx: dict | None = None, extra: dict | None = None
):
    """Run one transition of `machine` on `obj` through core.services.transition_apply (locked, audited)."""
    return transition_apply(
        obj=obj,
        machine=machine,
        action=action,
        actor=actor,
        roles=roles_for(actor),
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
