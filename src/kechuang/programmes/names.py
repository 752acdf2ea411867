"""The English forms of a programme definition's names (pure: no models, no queries).

A definition's names are data staff type in Chinese: a stage's `name`, a field's `label`, `help` and `unit`,
a table column's `label`, a choice field's `options` (and a programme type's and a form's `name`, model
fields). Each may have an optional English form beside it, stored under the same key with `_en` (`name_en`,
`label_en`, `help_en`, `unit_en`; a choice field's `options_en` is a list parallel to `options`). A page in English shows the English form, and the Chinese one when it is empty
(`local`, `option_label`); a page in Chinese always shows the Chinese.

The English forms are a rendering of the programme, not part of it: what an applicant answers is stored by
the fields' keys (a choice by its Chinese option), a stage's required attachments name its form's file
fields by their Chinese labels, the checks and the migration read kinds, keys and rules. So a published
version's English forms may be added or corrected without a new version (`services.version_translate`,
audited; docs/programmes.md “English names”), and `strip` is the programme itself, which that service proves
unchanged."""

from __future__ import annotations

from kechuang.core.language import english

SUFFIX = "_en"
# The names of a stage, a field and a table column that have an English form.
STAGE_TEXTS = ("name",)
FIELD_TEXTS = ("label", "help", "unit")
COLUMN_TEXTS = ("label",)
OPTIONS_EN = "options_en"
MAX_LENGTH = {"name": 100, "label": 200, "help": 500, "unit": 20}


def _get(item, key: str):
    return item.get(key) if isinstance(item, dict) else getattr(item, key, None)


def file_specs(specs) -> dict:
    """A form's file fields by their Chinese label (what a stage's required attachments name)."""
    return {s.get("label"): s for s in specs or [] if s.get("kind") == "file" and s.get("label")}


def local(item, key: str) -> str:
    """`item[key]` (a dict's, or a model's attribute: a programme type's or a form's `name`) in the active
    language: on an English page its English form (`key_en`) when given, else the Chinese."""
    if not item:
        return ""
    if english():
        en = _get(item, key + SUFFIX)
        if isinstance(en, str) and en.strip():
            return en.strip()
    value = _get(item, key)
    return value if isinstance(value, str) else ("" if value is None else str(value))


def option_label(spec: dict, option) -> str:
    """A choice field's option as shown: its English form on an English page when given (the stored value
    stays the Chinese option)."""
    if english():
        options = spec.get("options") or []
        english_forms = spec.get(OPTIONS_EN) or []
        if option in options:
            i = options.index(option)
            if i < len(english_forms) and isinstance(english_forms[i], str) and english_forms[i].strip():
                return english_forms[i].strip()
    return "" if option is None else str(option)


def is_text(key: str) -> bool:
    return key.endswith(SUFFIX)


def strip(items: list[dict]) -> list[dict]:
    """The items (stages or fields) without their English forms: the programme itself."""
    out = []
    for item in items:
        clean = {k: v for k, v in item.items() if not is_text(k)}
        if isinstance(clean.get("columns"), list):
            clean["columns"] = [
                {k: v for k, v in c.items() if not is_text(k)} if isinstance(c, dict) else c
                for c in clean["columns"]
            ]
        out.append(clean)
    return out


def problems(item: dict) -> list[str]:
    """Why an item's English forms cannot be stored (codes for the caller to word): not text, too long, or
    `options_en` not one per option."""
    out = []
    for key, value in item.items():
        too_long = isinstance(value, str) and len(value) > MAX_LENGTH.get(key[: -len(SUFFIX)], 200)
        if is_text(key) and key != OPTIONS_EN and (not isinstance(value, str) or too_long):
            out.append(key)
    for column in item.get("columns") or []:
        if isinstance(column, dict) and not isinstance(column.get("label_en", ""), str):
            out.append("columns")
    english_forms = item.get(OPTIONS_EN)
    if english_forms is not None and (
        not isinstance(english_forms, list)
        or len(english_forms) > len(item.get("options") or [])
        or not all(isinstance(o, str) and len(o) <= 200 for o in english_forms)
    ):
        out.append(OPTIONS_EN)
    return out
