"""Business errors. Services raise these; views turn them into messages, the API into 4xx error bodies."""

import re

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# A refusal "message" that is a code ("role", "not editable"), not a sentence for a person.
CODE_LIKE = re.compile(r"[a-z0-9_:/ -]*")


class ApplicationError(Exception):
    """A rule of the domain refused the operation. `message` is shown to the user as it is."""

    code = "invalid"
    status = 400

    def __init__(
        self, message, *, code: str | None = None, fields: dict | None = None, status: int | None = None
    ):
        super().__init__(str(message))
        self.message = message
        self.fields = fields or {}
        if code:
            self.code = code
        if status:
            self.status = status


class PermissionDenied(ApplicationError):
    """The actor may not do this to this object."""

    code = "permission_denied"
    status = 403


class InvalidTransition(ApplicationError):
    """A state machine refused a transition; the message says why."""

    code = "invalid_transition"
    status = 409


class Conflict(ApplicationError):
    """The record changed since the actor read it (optimistic locking) or a uniqueness rule was hit."""

    code = "conflict"
    status = 409


STALE_MESSAGE = _("此记录已被他人修改，请刷新后重试（您的修改未保存）。")


def error_text(exc) -> str:
    """One line for a form or a message from a refused service call: an ApplicationError's message, or a
    ValidationError's messages joined as the reader's language joins them ("；", "; "); anything else as str()."""
    if isinstance(exc, ApplicationError):
        return str(exc.message)
    messages = getattr(exc, "messages", None)
    return gettext("；").join(str(m) for m in messages) if messages else str(exc)


def refusal_reason(exc) -> str:
    """The sentence a refusal (Django's or Kechuang's PermissionDenied) carries, to show on the 403 page and in
    the API's 403 body; "" for a bare refusal or one that carries a code rather than a sentence (the page then
    says its generic sentence). Raise sites give a translated sentence about the page or the action, never
    another object's details (tests/test_refusal_reasons.py)."""
    message = getattr(exc, "message", None) or (exc.args[0] if exc is not None and exc.args else "")
    text = str(message or "").strip()
    if not text or CODE_LIKE.fullmatch(text):
        return ""
    return text
