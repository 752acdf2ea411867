"""What the challenge views share: service errors as messages (404s: core.permissions.get_visible_or_404)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied as Refused
from django.core.exceptions import ValidationError

from kechuang.core.exceptions import ApplicationError, PermissionDenied, error_text


def attempt(request, fn, *, success: str = "", form=None) -> bool:
    """Run a service call; on a business error show its reason (on the form when given) and return False.

    A permission refusal is not a business error: it answers 403, like a page refused to the role."""
    try:
        fn()
    except PermissionDenied as exc:
        raise Refused(error_text(exc)) from exc
    except (ApplicationError, ValidationError) as exc:
        if form is not None:
            form.add_error(None, error_text(exc))
        else:
            messages.error(request, error_text(exc))
        return False
    if success:
        messages.success(request, success)
    return True


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
