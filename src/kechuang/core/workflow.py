"""A small declarative state-machine helper shared by every lifecycle (challenge, application, project, ...).

A machine is a table of named transitions: from which states, to which state, by which roles, under which
guards. It knows nothing of the ORM; `transition_apply` in services.py runs one on a model row.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .exceptions import InvalidTransition

Guard = Callable[[object, dict], str | None]  # returns None when the guard passes, else the reason it fails

# An action's name as a client sends it: a short word of letters, digits, _ and -. Only such a name is named back
# in the refusal of an unknown one; anything else (megabytes of text, markup, a JSON structure made into text) is
# refused with the fixed reason alone, never echoed.
ACTION_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,39}")


def unknown_action(action) -> str:
    """The refusal of an action no machine knows: naming it when it is a plain, short name, else fixed."""
    if isinstance(action, str) and ACTION_NAME.fullmatch(action):
        return _("未知操作：%(action)s") % {"action": action}
    return _("未知操作。")


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    label: str
    guards: tuple[Guard, ...] = field(default_factory=tuple)
    needs_reason: bool = False
    # The audit event's name when it is not the transition's: two outcomes of one decision (approve,
    # reject) recorded as that decision ("decide").
    event: str = ""


# Every machine by name, as it names its audit actions ("<machine>.<transition>"): how the audit trail's
# display finds a transition's label without knowing the apps.
MACHINES: dict[str, "StateMachine"] = {}


def done(machine: "StateMachine", action: str) -> str:
    """The message after a lifecycle step went through, naming the step ("已完成：提交揭榜申请。"): a bare
    "操作已完成。" said nothing of what was done (walked, session 20)."""
    t = machine.transitions.get(action)
    return _("已完成：%(step)s。") % {"step": t.label} if t else _("操作已完成。")


class StateMachine:
    def __init__(self, name: str, states, transitions: Iterable[Transition]):
        self.name = name
        self.states = states  # a TextChoices class
        self.transitions: dict[str, Transition] = {}
        valid = {s.value if hasattr(s, "value") else s for s in states}
        for t in transitions:
            if t.name in self.transitions:
                raise ValueError(f"duplicate transition {t.name!r} in {name}")
            unknown = (set(t.sources) | {t.target}) - valid
            if unknown:
                raise ValueError(f"transition {t.name!r} of {name} names unknown states {sorted(unknown)}")
            self.transitions[t.name] = t
        MACHINES[name] = self

    def get(self, action: str) -> Transition:
        try:
            return self.transitions[action]
        except (KeyError, TypeError):  # TypeError: a structure sent as the action (JSON {…} or […])
            raise InvalidTransition(unknown_action(action), code="unknown_action") from None

    def reasons_refused(
        self, current: str, action: str, roles: Iterable[str], obj=None, ctx=None
    ) -> list[str]:
        """Every reason the action is refused now; empty when it is allowed."""
        t = self.get(action)
        reasons = []
        if current not in t.sources:
            label = self.states(current).label if current in self.states.values else current
            reasons.append(
                _("当前状态“%(state)s”不能执行“%(action)s”。") % {"state": label, "action": t.label}
            )
        if not (set(roles) & t.roles):
            reasons.append(_("您的角色无权执行“%(action)s”。") % {"action": t.label})
        if not reasons:
            for guard in t.guards:
                why = guard(obj, ctx or {})
                if why:
                    reasons.append(str(why))
        if t.needs_reason and not (ctx or {}).get("reason", "").strip():
            reasons.append(_("“%(action)s”需要填写理由。") % {"action": t.label})
        return reasons

    def check(self, current: str, action: str, roles: Iterable[str], obj=None, ctx=None) -> Transition:
        """The transition, or InvalidTransition with every reason it is refused."""
        reasons = self.reasons_refused(current, action, roles, obj, ctx)
        if reasons:
            raise InvalidTransition(" ".join(reasons))
        t = self.transitions[action]
        # An API call takes a step that cannot be undone only with "confirm": true (docs/security.md §42).
        from .confirming import check_api_confirm

        check_api_confirm(self, t, current)
        return t

    def available(self, current: str, roles: Iterable[str], obj=None, ctx=None) -> list[Transition]:
        """The transitions these roles may take now, guards included (for rendering buttons)."""
        roles = set(roles)
        out = []
        for t in self.transitions.values():
            if current in t.sources and roles & t.roles and all(g(obj, ctx or {}) is None for g in t.guards):
                out.append(t)
        return out

    def unavailable(
        self, current: str, roles: Iterable[str], obj=None, ctx=None
    ) -> list[tuple[Transition, list[str]]]:
        """What these roles could do here but cannot now, each with why and what unlocks it (issue #13.5):
        transitions of their roles that the current state allows but a guard refuses (the guard's reason,
        which names the date or the missing part), and those one step away ("close the list first").
        Transitions that no step from here leads to are left out, so a page lists only what is near."""
        roles = set(roles)
        ctx = ctx or {}
        out = []
        for t in self.transitions.values():
            if not roles & t.roles:
                continue
            if current in t.sources:
                reasons = [str(why) for g in t.guards if (why := g(obj, ctx))]
            else:
                before = [
                    s.label
                    for s in self.transitions.values()
                    if current in s.sources and s.target in t.sources and s.name != t.name
                ]
                if not before:
                    continue
                reasons = [
                    _("须先“%(first)s”（当前状态：%(state)s）。")
                    % {"first": _("”或“").join(str(b) for b in before), "state": self._state_label(current)}
                ]
            if reasons:
                out.append((t, reasons))
        return out

    def _state_label(self, current: str) -> str:
        return str(self.states(current).label) if current in self.states.values else current

    def irreversible(self) -> frozenset[str]:
        """The transitions that cannot be undone by those who take them: from its target, no transition of the
        roles that may take it leads back to any state it starts from (a submission only staff can send back is
        final for the applicant) — unless it sends the object back (`sends_back`: returned for revision,
        reopened), when the workflow's own course brings it back to where it was. A page asks before such a
        step (a ticked box, a confirmation page or a disclosed button that says so: tests/test_crawl.py's
        irreversible-action walk)."""
        cached = self.__dict__.get("_irreversible")
        if cached is not None:
            return cached
        final = set()
        for t in self.transitions.values():
            seen = self._reached(t.target, t.roles)
            if not seen & t.sources and not self.sends_back(t.name):
                final.add(t.name)
        self._irreversible = frozenset(final)
        return self._irreversible

    def _reached(self, start: str, roles: frozenset[str] | None = None) -> set[str]:
        """The states the transitions of `roles` (None: anyone's) lead to from `start`, itself included."""
        seen, todo = {start}, [start]
        while todo:
            state = todo.pop()
            for u in self.transitions.values():
                if state in u.sources and (roles is None or u.roles & roles) and u.target not in seen:
                    seen.add(u.target)
                    todo.append(u.target)
        return seen

    def ranks(self) -> dict[str, int]:
        """How far along the lifecycle each state stands: 0 for where an object starts (the states' first
        value, and any state no transition leads to) and for every state a step leaves from beside it (a
        returned application is submitted again like a draft), else one more than the states a step leads
        to it from."""
        values = [s.value if hasattr(s, "value") else s for s in self.states]
        targets = {t.target for t in self.transitions.values()}
        rank = {s: 0 for s in values if s == values[0] or s not in targets}
        changed = True
        while changed:
            changed = False
            for t in self.transitions.values():
                known = [rank[s] for s in t.sources if s in rank]
                if not known:
                    continue
                low = min(known)
                for s in t.sources:
                    if rank.get(s, low + 1) > low:
                        rank[s], changed = low, True
                if rank.get(t.target, low + 2) > low + 1:
                    rank[t.target], changed = low + 1, True
        return rank

    def sends_back(self, name: str) -> bool:
        """Whether a transition sends the object back — to a state no further along than where it starts
        (ranks), from which the workflow brings it back there, whoever takes those steps: returned for revision,
        the applicant submits again and it stands where the department returned it from. Not a final step for
        those who took it, whatever other roles the way back needs."""
        t = self.transitions[name]
        rank = self.ranks()
        if t.target not in rank or any(s not in rank for s in t.sources):
            return False
        if rank[t.target] > min(rank[s] for s in t.sources):
            return False
        return bool(self._reached(t.target) & t.sources)

    def targets(self, current: str) -> set[str]:
        return {t.target for t in self.transitions.values() if current in t.sources}
