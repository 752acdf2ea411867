"""The API's rule for steps that cannot be undone (docs/security.md §42).

A page asks before a step its taker cannot take back (`StateMachine.irreversible()`: a ticked box, a confirmation
page); the API asks too. During an API call (a request under `/api/`), a transition in `irreversible()` is
refused with 400 (`code: "confirm"`, the field `confirm`) unless the call's body says
`"confirm": true` (a form post: `confirm=1` or `true`) — the refusal names the step, the state it leaves and the
one it reaches, and that it cannot be undone. Nothing is written then. Reversible steps (a draft saved, a
submission sent back for revision) are taken as before, whatever `confirm` says.

The check is made where every step is checked (`StateMachine.check`, which `transition_apply` and the services
that write a step themselves call), so no API view can take such a step without it; one `confirm` covers the
call's steps (an award that closes the list).
"""

import json

from django.utils.translation import gettext as _

from . import context
from .exceptions import ApplicationError

CONFIRM_YES = (True, 1, "1", "true", "True", "on", "yes")

# The OpenAPI words for the field, beside each endpoint that may take such a step.
CONFIRM_HELP = (
    "Required as true when the step cannot be undone (the web pages ask first): without it such a step is "
    "refused with 400 (code confirm) naming what it would do. Reversible steps ignore it."
)


class ConfirmRequired(ApplicationError):
    """An API call asked for a step that cannot be undone without `"confirm": true`."""

    code = "confirm"
    status = 400


def api_request():
    """The request of the API call being served, or None (a page, a command, a job outside a request)."""
    request = context.current().request
    path = getattr(request, "path_info", None) or getattr(request, "path", "") or ""
    if request is None or not path.startswith("/api/"):
        return None
    return request


def _body(request):
    """The call's body as sent: the JSON object the API's parser read (kept on the request), else the JSON body
    read here when no parser has read it yet, else the form's fields (DRF hands a form's to the request)."""
    data = getattr(request, "kechuang_json", None)
    if data is not None:
        return data
    content_type = (getattr(request, "content_type", "") or "").lower()
    if content_type.endswith("json"):
        if getattr(request, "_read_started", True):
            return {}
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, RecursionError):
            return {}
        return data if isinstance(data, dict) else {}
    try:
        return request.POST
    except Exception:
        return {}


def _said(data):
    """What the body says of `confirm`: a form's field only when sent once (`confirm=0&confirm=1` says two
    things, and a QueryDict's `get` would read only the last), a JSON object's value as it is."""
    if hasattr(data, "getlist"):
        values = data.getlist("confirm")
        return values[0] if len(values) == 1 else None
    return data.get("confirm") if hasattr(data, "get") else None


def confirmed(request) -> bool:
    """Whether the call's body says yes (docs/security.md §42, §46): JSON `true` (or 1), a form's `1`, `true`,
    `on` or `yes` sent once. Anything else is no: `false`, `"false"`, `0`, a list, an object, a number but 1,
    the field twice, a `confirm` in the query string (never read)."""
    value = _said(_body(request))
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value == 1
    return isinstance(value, str) and value in CONFIRM_YES


def require_api_confirm(message) -> None:
    """Refuse (ConfirmRequired, 400, the field `confirm`) an API call that starts work that cannot be undone
    (a job that overwrites what people made: a round's assignment run again, an import that commits) unless
    its body says `"confirm": true`; `message` says what would be lost. Pages, commands and jobs pass (a page
    asks in its own way). Called before anything is written (docs/security.md §47)."""
    request = api_request()
    if request is None or confirmed(request):
        return
    raise ConfirmRequired(message, fields={"confirm": [message]})


def refusal(machine, transition, current: str) -> str:
    def label(state):
        return str(machine.states(state).label) if state in machine.states.values else state

    return _(
        "“%(action)s”执行后不能撤销（状态将由“%(source)s”变为“%(target)s”）。"
        '确认执行请在请求中附上 "confirm": true。'
    ) % {"action": transition.label, "source": label(current), "target": label(transition.target)}


def check_api_confirm(machine, transition, current: str) -> None:
    """Refuse (ConfirmRequired, 400) a step of `machine` that cannot be undone, asked by an API call without
    `"confirm": true`; anything else passes."""
    if transition.name not in machine.irreversible():
        return
    request = api_request()
    if request is None or confirmed(request):
        return
    message = refusal(machine, transition, current)
    raise ConfirmRequired(message, fields={"confirm": [message]})
