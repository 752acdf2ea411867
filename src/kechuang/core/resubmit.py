"""Nothing typed is lost (issue #13.4): after a refused save the form is shown again with the person's input;
after a STALE refusal (someone else saved first) it also takes the stored version, so that submitting again
saves the person's values knowingly, and the page shows their values beside the saved ones.

    rows = keep_for_resubmit(form, version=obj.version, saved={"title": obj.title, ...})
    render(..., {"form": form, "stale_rows": rows})      # web/_stale.html shows the rows side by side
"""

from __future__ import annotations

from decimal import Decimal

from django import forms


def _text(field: forms.Field, value) -> str:
    if value in (None, "", [], ()):
        return "—"
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        labels = {str(k): str(v) for k, v in field.choices}
        return labels.get(str(value), str(value))
    if isinstance(field, forms.BooleanField):
        return "是" if value in (True, "on", "true", "True", "1") else "否"
    if isinstance(value, Decimal | float):
        return f"{Decimal(str(value)).normalize():f}"
    if isinstance(value, str):
        try:
            return f"{Decimal(value).normalize():f}" if isinstance(field, forms.DecimalField) else value
        except ArithmeticError:
            return value
    return str(value)


def set_version(form: forms.BaseForm, version: int, name: str = "version") -> None:
    """Make the bound form carry `version` (the stored one) when it is shown again."""
    data = form.data.copy()
    data[form.add_prefix(name)] = str(version)
    form.data = data


def keep_for_resubmit(form: forms.BaseForm, *, version: int, saved: dict) -> list[dict]:
    """After a stale refusal: the form keeps the person's values and takes the stored `version`; returns
    the fields whose submitted value differs from the saved one: [{"label", "yours", "saved"}]."""
    set_version(form, version)
    rows = []
    for name, field in form.fields.items():
        if name not in saved or field.widget.is_hidden:
            continue
        yours = field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        if isinstance(yours, dict | list):
            continue  # rows and multiple choices: shown in the form itself
        mine, theirs = _text(field, yours), _text(field, saved[name])
        if mine.strip() != theirs.strip():
            rows.append({"label": field.label, "yours": mine, "saved": theirs})
    return rows
