"""Form fields for choosing rows of big tables (units, users) without listing the table.

A `<select>` reads and renders every row on every page view that shows the form: at national size, 50,000
units or 60,000 users made a platform page take more than 20 seconds. These fields are typed instead: the
row's unique name (a unit's name, a user's username), or its id, which existing links and API clients send.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SEPARATORS = re.compile(r"[\n\r,，、;；]+")


def _lookup(queryset, field: str, value: str):
    value = value.strip()
    if value.isdecimal() and len(value) < 19:
        row = queryset.filter(pk=int(value)).first()
        if row is not None:
            return row
    return queryset.filter(**{field: value}).first()


class LookupChoiceField(forms.ModelChoiceField):
    """One row of `queryset`, typed as its `to_field_name` value (or its id) in a text box."""

    def __init__(self, *, queryset, to_field_name: str, **kwargs):
        kwargs.setdefault("widget", forms.TextInput)
        kwargs.setdefault("error_messages", {}).setdefault(
            "invalid_choice", _("没有找到“%(value)s”，请填写完整名称。")
        )
        super().__init__(queryset=queryset, to_field_name=to_field_name, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, self.queryset.model):
            return getattr(value, self.to_field_name)
        if isinstance(value, int) or (isinstance(value, str) and value.isdecimal() and len(value) < 19):
            # An initial id (a ModelForm's instance): show the name the user would type.
            name = self.queryset.filter(pk=int(value)).values_list(self.to_field_name, flat=True).first()
            return name if name is not None else value
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, self.queryset.model):
            return value
        row = _lookup(self.queryset, self.to_field_name, str(value))
        if row is None:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return row


class LookupMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Rows of `queryset`, typed one a line (or separated by commas) as their `to_field_name` value or id."""

    widget = forms.Textarea(attrs={"rows": 2})

    def __init__(self, *, queryset, to_field_name: str, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        super().__init__(queryset=queryset, to_field_name=to_field_name, **kwargs)

    def _values(self, value) -> list[str]:
        if value in self.empty_values:
            return []
        items = value if isinstance(value, list | tuple) else [value]
        return [part.strip() for item in items for part in SEPARATORS.split(str(item)) if part.strip()]

    def clean(self, value):
        values = self._values(value)
        if not values:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return self.queryset.none()
        rows = []
        for v in values:
            row = _lookup(self.queryset, self.to_field_name, v)
            if row is None:
                raise ValidationError(
                    _("没有找到“%(value)s”，请填写完整名称。"), code="invalid_choice", params={"value": v}
                )
            rows.append(row.pk)
        return self.queryset.filter(pk__in=rows)

    def prepare_value(self, value):
        if isinstance(value, str):
            return value
        if hasattr(value, "__iter__"):
            return "\n".join(
                str(getattr(v, self.to_field_name)) if isinstance(v, self.queryset.model) else str(v)
                for v in value
            )
        return super().prepare_value(value)

    def has_changed(self, initial, data):
        return self.prepare_value(initial or []) != "\n".join(self._values(data))


class WidgetKnowsField:
    """For a form field whose widget reads the field back (`self.widget.field = self` in `__init__`): a form
    deep-copies its fields for every instance, and the copy's widget must point at the copy, not at the
    class-level original (whose bound user, kind or rows belong to no form)."""

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.widget.field = result
        return result
