"""What the challenge views share: service errors as messages (404s: core.permissions.get_visible_or_404)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied as Refused
from django.core.exceptions import ValidationError

from kechuang.core.attempts import attempt  # noqa: F401 (the challenge views import it from here)
from kechuang.core.decided import decided_page, moved_on
from kechuang.core.exceptions import ApplicationError, PermissionDenied, error_text
from kechuang.core.workflow import done  # noqa: F401 (the challenge views import it from here)


def refused_reason(request, fn, *, success: str = "") -> str | None:
    """Run a service call; None when done, else the business reason it was refused (for a page that shows
    it beside what the person typed). A permission refusal answers 403, as in `attempt`."""
    try:
        fn()
    except PermissionDenied as exc:
        raise Refused(error_text(exc)) from exc
    except (ApplicationError, ValidationError) as exc:
        return error_text(exc)
    if success:
        messages.success(request, success)
    return None


def step(request, fn, *, machine, obj, action: str, may: bool, typed: dict, back_url: str, success: str = ""):
    """Run a lifecycle step (`fn`, a service call) of `obj` for one who `may` take it: None when done (with
    `success` as a message); the page saying who decided it and when (409, `typed` kept to copy) when `obj`
    has moved past `action` (a second click, a stale tab); else the reason it was refused, for the page to
    show beside what was typed (400). One who may not take it gets the service's refusal (403)."""
    known = action in machine.transitions
    if may and known and moved_on(machine, obj, action):
        return decided_page(request, obj=obj, back_url=back_url, typed=typed)
    error = refused_reason(request, fn, success=success)
    if error is not None and may and known and moved_on(machine, obj, action):
        return decided_page(request, obj=obj, back_url=back_url, typed=typed)
    return error
