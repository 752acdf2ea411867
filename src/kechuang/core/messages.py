"""Words kept as their msgid and parameters, put into the reader's language when read (notifications).

A notice is stored when it is sent, but read later, by people who read Chinese or English: its title and body
are kept as `Message(gettext_noop("…%(t)s…"), t=…)` — the Chinese msgid and the parameters — and rendered by
`render` in the language active where they are read (a page, the API) or the recipient's (an e-mail).
A parameter is data as it was typed (a title, a name: kept as it is), a translatable word (a choice's label, a
`gettext_lazy` string, a nested Message: translated when read) or a date or moment (written in the reader's
date form). `encode` makes a Message JSON for the database, `render` reads it back; a row without one (sent
before this existed) shows its stored text.
"""

import datetime
import decimal
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext

from .dates import date_text, when_text
from .language import english
from .lists import listed


@dataclass(frozen=True)
class Message:
    """A translatable text: `msgid` (mark it with gettext_noop so makemessages finds it, or pass a
    gettext_lazy string) and its %-parameters. A list or tuple parameter is shown as the reader's language
    lists things (甲、乙 / "a, b")."""

    msgid: str
    params: dict = field(default_factory=dict)
    braces = False  # the msgid's fields are %(name)s; BraceMessage's are {name}

    def __init__(self, msgid, /, **params):
        object.__setattr__(self, "msgid", source_text(msgid))
        object.__setattr__(self, "params", params)

    def __str__(self) -> str:
        return render(encode(self))


@dataclass(frozen=True)
class Division:
    """A GB/T 2260 division code as a parameter: read as the division's name in the reader's language
    (core.divisions.division_name; as written when it names none)."""

    code: str


class InBoth(Message):
    """Words already put into each of the site's languages (a model validator's message, with its plural forms
    and its numbers filled in): kept as both texts, the reader's one shown."""

    def __init__(self, zh: str, en: str):
        object.__setattr__(self, "msgid", str(zh))
        object.__setattr__(self, "params", {"en": str(en)})


class Said(Message):
    """Words already kept as msgid and parameters (`encode`'s JSON, as a RowError keeps them), as a parameter of
    other words: kept as they are, read in the reader's language."""

    def __init__(self, stored: dict | str):
        object.__setattr__(self, "msgid", stored.get("m", "") if isinstance(stored, dict) else str(stored))
        object.__setattr__(self, "params", {"said": stored})


@dataclass(frozen=True)
class Joined:
    """Items as a parameter, joined by `sep` (a msgid: "；" reads "; " in English) rather than as a list reads."""

    items: tuple
    sep: str = "；"


class BraceMessage(Message):
    """A Message whose msgid has str.format fields ("{name}"), as the composite-index engine writes them."""

    braces = True


def source_text(value) -> str:
    """The msgid of a translatable string: the text itself in the source language (Chinese), which is what a
    gettext_lazy string gives with no translation."""
    if isinstance(value, Promise):
        with translation.override(settings.LANGUAGE_CODE):
            return str(value)
    return str(value)


def _context_of(value) -> str | None:
    """The context of a `pgettext_lazy` string (its two arguments: context, msgid), else None: 已入库 is an expert
    in the pool in one context and a recorded fact in another, and only the context tells the English apart."""
    args = getattr(value, "_args", ())
    if len(args) == 2 and all(isinstance(a, str) for a in args) and source_text(value) == args[1]:
        return args[0]
    return None


def label(instance, name: str):
    """The translatable label of a choice field's value (a `get_FOO_display` that is translated when read)."""
    value = getattr(instance, name)
    return dict(instance._meta.get_field(name).flatchoices).get(value, value)


def _encode_value(value):
    if isinstance(value, Division):
        return {"division": str(value.code or "")}
    if isinstance(value, Message | Promise):
        return encode(value)
    if isinstance(value, Joined):
        return {"list": [_encode_value(v) for v in value.items], "sep": value.sep}
    if isinstance(value, list | tuple):
        return {"list": [_encode_value(v) for v in value]}
    if isinstance(value, datetime.datetime):
        return {"when": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, bool):
        return {"m": "是" if value else "否"}  # Yes / No in the reader's language
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    if isinstance(value, decimal.Decimal):
        # an amount as a person writes it (600, 12.5), not as the column stores it (600.0000)
        text = format(value.normalize(), "f") if value.is_finite() else str(value)
        return text
    return str(value)


def encode(value) -> dict | str:
    """JSON for a Message or a translatable string (`{"m": msgid, "p": {…}}`); anything else as its text."""
    if isinstance(value, Promise):
        context = _context_of(value)
        return {"m": source_text(value), "c": context} if context else {"m": source_text(value)}
    if isinstance(value, InBoth):
        return {"m": value.msgid, "en": value.params["en"]}
    if isinstance(value, Said):
        return value.params["said"]
    if isinstance(value, Message):
        out = {"m": value.msgid}
        if value.braces:
            out["f"] = "{}"
        if value.params:
            out["p"] = {k: _encode_value(v) for k, v in value.params.items()}
        return out
    return "" if value is None else str(value)


def _render_value(value):
    if isinstance(value, dict):
        if "date" in value:
            return date_text(datetime.date.fromisoformat(value["date"]))
        if "when" in value:
            return when_text(datetime.datetime.fromisoformat(value["when"]))
        if "division" in value:
            from .divisions import division_name

            return division_name(value["division"]) or value["division"]
        if "list" in value:
            items = (_render_value(v) for v in value["list"])
            return gettext(value["sep"]).join(items) if value.get("sep") else listed(items)
        return render(value)
    return value


def render(stored, fallback: str = "") -> str:
    """A stored message in the active language; `fallback` (the stored text) when there is none or it no
    longer fits its translation."""
    if isinstance(stored, str):
        return stored or fallback
    if not isinstance(stored, dict) or "m" not in stored:
        return fallback
    if "en" in stored:  # InBoth
        return stored["en"] if english() else stored["m"]
    text = pgettext(stored["c"], stored["m"]) if stored.get("c") else gettext(stored["m"])
    params = stored.get("p")
    if not params:
        return text
    try:
        values = {k: _render_value(v) for k, v in params.items()}
        return text.format(**values) if stored.get("f") == "{}" else text % values
    except (KeyError, IndexError, TypeError, ValueError):
        return fallback or stored["m"]


def render_in(stored, language: str, fallback: str = "") -> str:
    with translation.override(language):
        return render(stored, fallback)


def in_both(msgid: str, /, **params) -> tuple[str, str]:
    """A system-made name (a round's title, a form's name) in Chinese and in English, to store both: `msgid`
    rendered with `params`, where a (Chinese, English) pair gives each language its form of the part."""

    def one(language: str, index: int) -> str:
        parts = {k: (v[index] or v[0]) if isinstance(v, tuple) else v for k, v in params.items()}
        return render_in(encode(Message(msgid, **parts)), language)

    return one(settings.LANGUAGE_CODE, 0), one("en", 1)
