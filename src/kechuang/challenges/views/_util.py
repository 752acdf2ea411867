"""Small helpers the challenge views share: 404 for objects the user may not see, service errors as messages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied as Refused
from django.core.exceptions import ValidationError
from django.http import Http404

from kechuang.core.exceptions import ApplicationError, PermissionDenied, error_text


def get_or_404(getter, **kwargs):
    """Call a selector's `*_get`; a missing or invisible object is the same 404."""
    try:
        return getter(**kwargs)
    except Exception as exc:
        if exc.__class__.__name__ == "DoesNotExist":
            raise Http404
        raise


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
