"""The reader's language, asked one way: is it English, and what is a name stored in Chinese with an optional
English form beside it called in it.

Simplified Chinese is the site's language; English is the second. Everything that picks between a Chinese and
an English form (the GB/T 2260 divisions, the GB/T 13745 disciplines, dates and amounts in words, names stored
with an ``_en`` twin) asks here instead of testing ``get_language()`` itself.

- `english()` — the active language is English ("en", "en-gb", …).
- `local_name(zh, en, english=None)` — `en` on an English page when it has text, else `zh`; `english` overrides
  the active language (True/False) for a caller that already knows it.
- `shown_name(zh, en, english=None)` — that name as a database expression (for a query's order or length).
- `name_order(zh, en, english=None)` — a queryset's order by that name, in the database: the Chinese field as
  the database collates it on a Chinese page (as lists always were), the English name where recorded (letter
  case ignored), else the Chinese, on an English page; ties by the Chinese field.
"""

from __future__ import annotations

from django.db.models import F, Value
from django.db.models.functions import Coalesce, Lower, NullIf, Trim
from django.utils.translation import get_language


def english() -> bool:
    """The active language is English (the pages and the API answer in it)."""
    return (get_language() or "").lower().startswith("en")


_active_is_english = english


def local_name(zh, en="", *, english: bool | None = None) -> str:
    """A name stored in Chinese with an optional English form beside it, in the reader's language: the English
    form (stripped) on an English page when there is one, else the Chinese."""
    if english is None:
        english = _active_is_english()
    if english and en and str(en).strip():
        return str(en).strip()
    return "" if zh is None else str(zh)


def shown_name(zh: str, en: str, *, english: bool | None = None):
    """The database expression of the name `local_name(zh, en)` shows, for a query (`zh`, `en`: field paths)."""
    if english is None:
        english = _active_is_english()
    return Coalesce(NullIf(Trim(F(en)), Value("")), F(zh)) if english else F(zh)


def name_order(zh: str, en: str, *, english: bool | None = None) -> list:
    """`order_by` terms sorting rows by the name `local_name(zh, en)` shows, in the database (so a paginated
    list pages by it): on a Chinese page the Chinese field (`zh`, the database's collation, as before); on an
    English page the English field where it has text, else the Chinese, with letter case ignored, then the
    Chinese field for names shown alike. Add the row's key after these where `zh` is not unique."""
    if english is None:
        english = _active_is_english()
    if not english:
        return [F(zh).asc()]
    return [Lower(shown_name(zh, en, english=True)).asc(), F(zh).asc()]
