"""Per-request context (client address, request id, the request) that the audit trail and the signal handlers
read without taking `request`."""

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None = None
    request_id: str = ""
    # The request itself, for code reached through a model signal that must name who acted (its `user` is read
    # when needed: DRF sets it after the middleware ran). None outside a request.
    request: object = None


_current = contextvars.ContextVar("kechuang_request_context", default=RequestContext())  # noqa: B039 (frozen)


def current() -> RequestContext:
    return _current.get()


def set_current(ctx: RequestContext):
    return _current.set(ctx)


def reset(token) -> None:
    _current.reset(token)
