"""Search-as-you-type pickers: choose a unit, an expert, a platform, a user or an indicator by typing part of
its name (issue #13.1: nobody types a code, an id or a login name).

A picker is a `<select>` holding only the chosen options, so a page never reads a big table (50,000 units at
national size); Tom Select (static/vendor, started by kechuang/js/app.js on every `select[data-picker]`)
asks the field's search endpoint (kechuang.web.pickers: each checks role and object visibility) as the person
types and shows the answers. Without JavaScript the select still submits what it holds.

The fields accept what the select submits (the row's id) and, for older links and tests, the row's unique
name (`name_field`), as `core.fields.LookupChoiceField` did.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _

from .fields import SEPARATORS, _lookup

MAX_RESULTS = 20


class PickerSelect(forms.Select):
    """A select whose options are only the chosen rows; `url` answers the search as the person types."""

    def __init__(self, url, attrs=None, *, multiple: bool = False, placeholder=None):
        super().__init__(attrs)
        self.url = url
        self.allow_multiple_selected = multiple
        self.placeholder = placeholder

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-picker"] = str(self.url)
        widget_attrs["data-placeholder"] = str(self.placeholder or _("输入名称查找"))
        if self.allow_multiple_selected:
            widget_attrs["multiple"] = True
        return context

    def value_from_datadict(self, data, files, name):
        if self.allow_multiple_selected and hasattr(data, "getlist"):
            return data.getlist(name)
        return super().value_from_datadict(data, files, name)

    def format_value(self, value):
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        return [str(v) for v in value if v not in ("", None)]

    def optgroups(self, name, value, attrs=None):
        """Only the chosen rows (and an empty choice for a single picker): never the whole table."""
        field = getattr(self.choices, "field", None)
        options = []
        if not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", not value, 0))
        if field is not None and value:
            for index, row in enumerate(field.rows_for(value), start=1):
                options.append(
                    self.create_option(name, str(row.pk), field.label_from_instance(row), True, index)
                )
        return [(None, options, 0)]


class _PickerMixin:
    def _setup(self, url, name_field, placeholder, multiple, kwargs):
        self.name_field = name_field
        kwargs.setdefault("widget", PickerSelect(url, multiple=multiple, placeholder=placeholder))
        kwargs.setdefault("error_messages", {}).setdefault(
            "invalid_choice", _("没有找到“%(value)s”，请在下拉列表中选择。")
        )
        return kwargs

    def _find(self, value):
        if isinstance(value, self.queryset.model):
            return value if self.queryset.filter(pk=value.pk).exists() else None
        value = str(value).strip()
        if self.name_field:
            return _lookup(self.queryset, self.name_field, value)
        return self.queryset.filter(pk=int(value)).first() if value.isdigit() and len(value) < 19 else None

    def rows_for(self, values) -> list:
        """The rows the chosen values name (ids, names or rows), in order, for showing them."""
        rows = []
        for v in values if isinstance(values, list | tuple) else [values]:
            if v in (None, ""):
                continue
            row = self._find(v)
            if row is not None and row not in rows:
                rows.append(row)
        return rows

    def prepare_value(self, value):
        if isinstance(value, self.queryset.model):
            return value.pk
        if hasattr(value, "__iter__") and not isinstance(value, str):
            return [v.pk if isinstance(v, self.queryset.model) else v for v in value]
        return value


class PickerChoiceField(_PickerMixin, forms.ModelChoiceField):
    """One row of `queryset`, chosen with a search-as-you-type picker answered by `url`."""

    def __init__(self, *, queryset, url, name_field: str = "", placeholder=None, **kwargs):
        kwargs = self._setup(url, name_field, placeholder, False, kwargs)
        super().__init__(queryset=queryset, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        row = self._find(value)
        if row is None:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return row


class PickerMultipleChoiceField(_PickerMixin, forms.ModelMultipleChoiceField):
    """Rows of `queryset`, chosen with a search-as-you-type picker answered by `url`."""

    def __init__(self, *, queryset, url, name_field: str = "", placeholder=None, **kwargs):
        kwargs = self._setup(url, name_field, placeholder, True, kwargs)
        super().__init__(queryset=queryset, **kwargs)

    @staticmethod
    def _values(value) -> list[str]:
        if value in (None, "", [], ()):
            return []
        items = value if isinstance(value, list | tuple) else [value]
        return [part.strip() for item in items for part in SEPARATORS.split(str(item)) if part.strip()]

    def rows_for(self, values) -> list:
        if isinstance(values, str):
            values = self._values(values)
        return super().rows_for(values)

    def clean(self, value):
        values = self._values(value) if not hasattr(value, "model") else list(value)
        if not values:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return self.queryset.none()
        pks = []
        for v in values:
            row = self._find(v)
            if row is None:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": v}
                )
            pks.append(row.pk)
        return self.queryset.filter(pk__in=pks)

    def has_changed(self, initial, data):
        before = {str(v) for v in self.prepare_value(initial or [])}
        return before != {str(r.pk) for r in self.rows_for(self._values(data))}


def picker_response(rows) -> JsonResponse:
    """What a search endpoint answers: `[{"value": id, "text": what a person reads}]`, at most 20."""
    results = [{"value": str(value), "text": str(text)} for value, text in list(rows)[:MAX_RESULTS]]
    return JsonResponse({"results": results})


def search_text(request) -> str:
    """The typed text a picker sends (`q`)."""
    return (request.GET.get("q") or "").strip()[:100]
