"""The reader's language, asked one way: is it English, and what is a name stored in Chinese with an optional
English form beside it called in it.

Simplified Chinese is the site's language; English is the second. Everything that picks between a Chinese and
an English form (the GB/T 2260 divisions, the GB/T 13745 disciplines, dates and amounts in words, names stored
with an ``_en`` twin) asks here instead of testing ``get_language()`` itself.

- `english()` — the active language is English ("en", "en-gb", …).
- `local_name(zh, en, english=None)` — `en` on an English page when it has text, else `zh`; `english` overrides
  the active language (True/False) for a caller that already knows it.
"""

from __future__ import annotations

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
