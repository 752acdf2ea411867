"""How long free text a person types may be: a web form's field and the API's bound it alike.

A reason, a note or comments goes into a row and the append-only, hashed audit trail as typed; bounded only by
the request's body (2.5 MB for a form, 5 MB for the API), one post could store megabytes in each
(docs/security.md §36). A form's field carries `max_length=` one of these (Django then puts `maxlength` on its
input, so a browser stops there too), a serializer's field the same; a view reading a reason from
`request.POST` itself reads it through `posted_text`."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext

from .exceptions import ApplicationError

# a reason, a note, an opinion: what a person writes beside a decision or a step
REASON_MAX = 2000
# a longer text written in the same way (a milestone's report, an expert's comments, a description)
TEXT_MAX = 20000
# a JSON body an API call posts (core.api.JSONParser): what any endpoint's fields can hold with room to spare
# (a few TEXT_MAX texts, written as \uXXXX escapes six bytes a character). Files go up through their own upload
# fields and limits (core.uploads), never inside JSON.
JSON_BODY_MAX = 1024 * 1024
# the JSON body of an endpoint taking a programme form's answers (`extra`, `values`: up to 200 fields of a
# form version, programmes.fieldkinds.MAX_FIELDS, some of them long texts): a view says so with
# `json_body_max = FORM_JSON_MAX`; under Django's 5 MB for a request's data (DATA_UPLOAD_MAX_MEMORY_SIZE)
FORM_JSON_MAX = 4 * 1024 * 1024
# the name of a step an API call asks for (`"action": "publish"`): one of a few short words, never stored; the
# view refuses a name it does not know, this only keeps a client from sending megabytes as one
ACTION_MAX = 50
# the words a list is searched by (a name, a title): the pages cut what is typed at this, the API refuses more
SEARCH_MAX = 100
# the ids one API call names in a list (winners, a shortlist, notifications to mark read): each is one bound
# variable of a `pk__in` query, and SQLite takes 32,766 of them by default (Debian's build 250,000) (§39)
IDS_MAX = 10_000


def text_bound(model_field, bounds: dict[str, int]) -> int | None:
    """The bound a form or serializer puts on a model `TextField` without a `max_length`: `bounds[name]` where
    named (a note: REASON_MAX), else TEXT_MAX; None for any other field (its own length holds)."""
    if isinstance(model_field, models.TextField) and model_field.max_length is None:
        return bounds.get(model_field.name, TEXT_MAX)
    return None


def bounded_text(**bounds: int):
    """A ModelForm's `Meta.formfield_callback`: the form field of each model `TextField` without a
    `max_length` is bounded (`text_bound`). The model and its column stay unbounded (a longer text stored
    before is shown, and refused only when edited)."""

    def formfield(model_field, **kwargs):
        bound = text_bound(model_field, bounds)
        if bound is not None:
            kwargs.setdefault("max_length", bound)
        return model_field.formfield(**kwargs)

    return formfield


def posted_text(request, key: str = "reason", *, label, max_length: int = REASON_MAX) -> str:
    """The free text `key` a view reads from `request.POST` itself, as posted (not trimmed; "" when absent).
    Longer than `max_length`: an ApplicationError saying so by the field's `label` in Django's own words for a
    form field (“理由：确保该值不超过 2000 个字符（目前为 2001）。”), its `fields` naming `key`, so a view
    calling this inside its refusal path shows it beside what was typed, before anything is written."""
    return checked_text(request.POST.get(key, ""), key, label=label, max_length=max_length)


def checked_text(value: str, key: str, *, label, max_length: int) -> str:
    """`value` as given when it has at most `max_length` characters; longer, the ApplicationError of
    `posted_text` (a service checks a text it is handed this way before it writes anything)."""
    try:
        forms.CharField(max_length=max_length, required=False, strip=False).clean(value)
    except ValidationError as exc:
        said = " ".join(exc.messages)
        raise ApplicationError(f"{label}{gettext('：')}{said}", fields={key: exc.messages}) from None
    return value


def text_checked(request, fn, key: str = "reason", *, label, max_length: int = REASON_MAX):
    """`fn` (a service call a view hands to `attempt` or a step helper) run after `posted_text` has checked
    the posted `key`: an over-long text is refused by the same path as the service's own refusal (the page
    again with what was typed and why), before the service runs."""

    def run():
        posted_text(request, key, label=label, max_length=max_length)
        return fn()

    return run


def search_words(request, key: str = "q") -> str:
    """The words a list page is searched by: what was typed, trimmed and cut at SEARCH_MAX characters (the page
    says so when it cuts: `context`'s SEARCH_CUT, shown by the base template)."""
    return (request.GET.get(key) or "").strip()[:SEARCH_MAX]


def search_cut_note(request) -> str:
    """The note a list page shows when the words typed in its search box are longer than SEARCH_MAX (the list is
    searched by the first SEARCH_MAX characters, the box keeps all typed); "" otherwise."""
    typed = (getattr(request, "GET", None) or {}).get("q") or ""
    if len(typed.strip()) <= SEARCH_MAX:
        return ""
    return gettext("搜索词过长，只按前 %(n)s 个字搜索。") % {"n": SEARCH_MAX}


def context(request) -> dict:
    """Template context: the bounds, for an input a template writes out itself (`maxlength="{{ REASON_MAX }}"`);
    SEARCH_CUT, the note a list page shows when its search words were cut (`search_cut_note`)."""
    return {"REASON_MAX": REASON_MAX, "TEXT_MAX": TEXT_MAX, "SEARCH_CUT": search_cut_note(request)}
