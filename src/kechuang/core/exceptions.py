"""Business errors. Services raise these; views turn them into messages, the API into 4xx error bodies."""

from django.utils.translation import gettext_lazy as _


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
    ValidationError's messages joined by "；"; anything else as str()."""
    if isinstance(exc, ApplicationError):
        return str(exc.message)
    messages = getattr(exc, "messages", None)
    return "；".join(str(m) for m in messages) if messages else str(exc)
