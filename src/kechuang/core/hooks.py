"""Named hooks: how a lower app lets a higher one act on its events without importing it.

A lower app fires `fire("challenges.milestone_verified", milestone=..., actor=...)` inside its service's
transaction; a higher app registers a handler from its AppConfig.ready(). Handlers run in registration order
in the same transaction, so a refusal in a handler rolls back the lower app's write too. `collect` asks every
handler for a list (e.g. problems that refuse a submission) and joins them.
"""

from collections.abc import Callable

_HOOKS: dict[str, list[Callable]] = {}


def register(name: str, handler: Callable) -> None:
    """Run `handler(**kwargs)` whenever `name` fires (call from AppConfig.ready; registering twice is one)."""
    handlers = _HOOKS.setdefault(name, [])
    if handler not in handlers:
        handlers.append(handler)


def fire(name: str, **kwargs) -> None:
    """Run every handler of `name` with `kwargs`."""
    for handler in _HOOKS.get(name, []):
        handler(**kwargs)


def collect(name: str, **kwargs) -> list:
    """Every handler's answer (a list, or None for nothing), joined in registration order."""
    out: list = []
    for handler in _HOOKS.get(name, []):
        out.extend(handler(**kwargs) or [])
    return out
