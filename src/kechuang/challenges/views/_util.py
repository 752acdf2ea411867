"""What the challenge views share: service errors as messages (404s: core.permissions.get_visible_or_404)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied as Refused
from django.core.exceptions import ValidationError

from kechuang.core.attempts import attempt  # noqa: F401 (the challenge views import it from here)
from kechuang.core.exceptions import ApplicationError, PermissionDenied, error_text


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
