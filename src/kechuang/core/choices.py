"""Choice codes read back from what a person wrote: a file exported from an English page reads back on a
Chinese one, and the other way round."""

import functools

from django.conf import settings
from django.db import models
from django.utils import translation


@functools.cache
def labels_to_codes(choices: type[models.Choices]) -> dict[str, str]:
    """Every way a cell may name one of `choices` — its code, or its label in any of the site's languages —
    casefolded, to the code (a code wins over another choice's label). Worked out once per process per
    choice set (the catalogues do not change while it runs; an import asks for every cell of every row)."""
    out: dict[str, str] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, label in choices.choices:
                out.setdefault(str(label).strip().casefold(), code)
    for code in choices.values:
        out[str(code).casefold()] = code
    return out


def code_of(value, choices: type[models.Choices]) -> str | None:
    """The code a cell names (its code, or its label in any of the site's languages), or None."""
    return labels_to_codes(choices).get(str(value or "").strip().casefold())
