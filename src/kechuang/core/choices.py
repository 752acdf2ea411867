"""Choice codes read back from what a person wrote: a file exported from an English page reads back on a
Chinese one, and the other way round."""

from django.conf import settings
from django.utils import translation


def labels_to_codes(choices) -> dict[str, str]:
    """Every way a cell may name a choice — its code, or its label in any of the site's languages — casefolded,
    to the code (a code wins over another choice's label)."""
    out: dict[str, str] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, label in choices:
                out.setdefault(str(label).strip().casefold(), code)
    for code, _label in choices:
        out[str(code).casefold()] = code
    return out


def code_of(value, choices) -> str | None:
    """The code a cell names (its code, or its label in any of the site's languages), or None."""
    return labels_to_codes(choices).get(str(value or "").strip().casefold())
