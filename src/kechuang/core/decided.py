"""Acting on something already decided (a second click, a stale tab): a page that says so, by whom and
when (from the audit trail), and what the person typed, kept to copy; never a bare refusal. Answers 409."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from .dates import when_text
from .display import action_label, actor_words, system_actor_words
from .models import AuditEvent
from .roles import Role, has_role
from .workflow import StateMachine


def moved_on(machine: StateMachine, obj, action: str, *, field: str = "status") -> bool:
    """Whether `obj` has moved past `action` (someone decided it meanwhile, or this is a second click): its
    stored state no longer allows the action and is one the machine reaches from the states that do. A state
    before them (a draft not yet submitted) is not "decided": that refusal says why, as any other."""
    current = type(obj).objects.filter(pk=obj.pk).values_list(field, flat=True).first()
    t = machine.transitions.get(action)
    if t is None or current in t.sources:
        return False
    seen, todo = set(t.sources), list(t.sources)
    while todo:
        for target in machine.targets(todo.pop()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return current in seen


def decided_text(obj, *, field: str = "status", viewer=None, trail=None, now: str | None = None) -> str:
    """“此事项已由张三于2026年12月5日 14:03处理（答复异议），现为“异议不成立”。” from the object's last
    audit event and its stored state. A thing without a state of its own (a platform's member, recorded on
    the platform's trail) passes `trail` (the audit events that decide it) and `now` (what it is now, said)."""
    if now is None:
        obj.refresh_from_db(fields=[field])
        shown = getattr(obj, f"get_{field}_display", None)
        now = _("现为“%(state)s”。") % {"state": shown()} if shown else ""
    events = AuditEvent.objects.for_object(obj) if trail is None else trail
    last = events.select_related("actor__unit").order_by("-at", "-id").first()
    if last is None:
        return _("此事项已经处理。") + now
    what, _transition = action_label(last.action, type(obj))
    return (
        _("此事项已由%(who)s于%(when)s处理（%(what)s），")
        % {"who": _decider(last, viewer), "when": when_text(last.at), "what": what}
        + now
    )


def _decider(event, viewer=None) -> str:
    """Who decided, as the object's trail names them to this viewer (display.audit_lines): to department staff
    (or no viewer: a command) by the public-name rule (`str(user)`: the name, else the unit and role), never
    the login name the trail stores as `actor_repr`; to anyone else a person outside their unit by that unit
    (a staff member: 工作人员), as the trail beside it does (docs/security.md §17); a command or job by its
    name in words (系统)."""
    if event.actor_id is not None and event.actor is not None:
        internal = viewer is None or has_role(viewer, Role.STAFF)
        return str(actor_words(event, getattr(viewer, "unit_id", None), internal))
    return system_actor_words(event.actor_repr)


def decided_page(
    request, *, obj, back_url: str, typed: dict | None = None, status: int = 409, trail=None, now=None
):
    """The page answering a step on something already decided: who decided it and when, that nothing was
    changed by this submission, and what the person typed (label → text) so it is not lost. `trail`, `now`:
    as decided_text's."""
    return render(
        request,
        "web/decided.html",
        {
            "obj": obj,
            "text": decided_text(obj, viewer=getattr(request, "user", None), trail=trail, now=now),
            "back_url": back_url,
            "typed": [(label, value) for label, value in (typed or {}).items() if str(value).strip()],
        },
        status=status,
    )
