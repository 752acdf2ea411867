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

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import JsonResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from . import disciplines, divisions
from .fields import SEPARATORS, WidgetKnowsField, _lookup
from .limits import search_cut_note, search_words

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
        field = getattr(self.choices, "field", None) or getattr(self, "field", None)
        options = []
        if not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", not value, 0))
        if field is not None and value:
            rows = field.rows_for(value)
            for index, row in enumerate(rows, start=1):
                options.append(
                    self.create_option(name, str(row.pk), field.label_from_instance(row), True, index)
                )
            # a name the field may add (new_label), sent back refused for another reason: kept, as typed
            new = getattr(field, "_new_name", None) if getattr(field, "new_label", None) else None
            if new is not None and not self.allow_multiple_selected and not rows:
                try:
                    typed = new(value[0] if isinstance(value, list | tuple) else value)
                except ValidationError:
                    typed = None
                if typed:
                    label = _("%(name)s（新增，待核验）") % {"name": typed}
                    options.append(self.create_option(name, str(typed), label, True, 1))
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
        return self.queryset.filter(pk=int(value)).first() if value.isdecimal() and len(value) < 19 else None

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


class NewName(str):
    """A name typed in a picker that offers to add what it does not find (`new_label`): not a row yet; the
    service that records the choice adds it (a unit: waiting for staff verification)."""


class PickerChoiceField(_PickerMixin, forms.ModelChoiceField):
    """One row of `queryset`, chosen with a search-as-you-type picker answered by `url`. `new_label`: the
    picker also offers to use a name it did not find (Tom Select's create option, worded so); the field then
    gives that name as a `NewName` (at most `new_max` characters), never a typed code or id."""

    def __init__(
        self, *, queryset, url, name_field: str = "", placeholder=None, new_label=None, new_max=200, **kwargs
    ):
        kwargs = self._setup(url, name_field, placeholder, False, kwargs)
        super().__init__(queryset=queryset, **kwargs)
        self.new_label, self.new_max = new_label, new_max
        if new_label:
            self.widget.attrs["data-picker-create"] = new_label

    def _new_name(self, value) -> NewName | None:
        """`value` as a name to add: only where the field offers it, and only a name (not a bare number, which
        is an id that names nothing)."""
        text = " ".join(str(value).split())
        if not self.new_label or not text or text.isdecimal():
            return None
        if len(text) > self.new_max:
            raise ValidationError(
                _("名称不能超过 %(n)d 个字。"), code="max_length", params={"n": self.new_max}
            )
        return NewName(text)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        row = self._find(value)
        if row is None:
            row = self._new_name(value)
        if row is None:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return row

    def validate(self, value):
        if isinstance(value, NewName):
            return
        super().validate(value)


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


def picker_response(rows, *, request=None) -> JsonResponse:
    """What a search endpoint answers: `[{"value": id, "text": what a person reads}]`, at most 20; given the
    `request`, with `note` when the words typed were cut at SEARCH_MAX (the picker shows it over the rows)."""
    results = [{"value": str(value), "text": str(text)} for value, text in list(rows)[:MAX_RESULTS]]
    note = search_cut_note(request) if request is not None else ""
    return JsonResponse({"results": results, **({"note": note} if note else {})})


def search_text(request) -> str:
    """The typed text a picker sends (`q`), trimmed and cut at SEARCH_MAX characters as every list's search
    (core.limits.search_words); `picker_response(..., request=request)` says so when it cuts."""
    return search_words(request)


# --- Pickers whose rows depend on a kind chosen in another field ------------------------------------------
#
# A review round's subjects are applications, evaluation entries or external proposals; a technology's
# coverage points at a topic, a list, a project or a platform. The form has a kind field (a content type)
# and a picker of objects of that kind: the picker asks `web:pick-objects?kind=<content type>&q=...`, and the
# form checks each chosen object exists, is of that kind and the person may see it. The kinds are registered
# by their apps (AppConfig.ready), so core and the forms lower down never import the apps they point at.


@dataclass(frozen=True)
class PickKind:
    """How rows of one model are found by typing: the rows a person may see, what the typed text matches
    and what a person reads for a row."""

    visible: Callable[[Any], QuerySet]
    search: tuple[str, ...]  # lookups matched with the typed text (each `field__icontains`, or `__iexact`)
    label: Callable[[Any], str] = str
    related: tuple[str, ...] = ()


_KINDS: dict[str, PickKind] = {}


def register_kind(model_label: str, kind: PickKind) -> None:
    """Register `app_label.model` (lower case) as a kind a picker may choose rows of."""
    _KINDS[model_label.lower()] = kind


def kind_of(content_type) -> PickKind | None:
    """The registered kind of a content type (None: not choosable by typing)."""
    if content_type is None:
        return None
    return _KINDS.get(f"{content_type.app_label}.{content_type.model}")


def kind_rows(content_type, user, q: str) -> list[tuple[int, str]]:
    """(id, label) of the rows of `content_type` the user may see whose words match `q`, at most 20."""
    kind = kind_of(content_type)
    if kind is None or not q:
        return []
    cond = Q()
    for lookup in kind.search:
        exact = lookup.endswith(("__iexact", "__icontains"))
        cond |= Q(**{lookup if exact else f"{lookup}__icontains": q})
    rows = kind.visible(user).filter(cond).select_related(*kind.related).order_by("-pk")[:MAX_RESULTS]
    return [(row.pk, kind.label(row)) for row in rows]


def kind_find(content_type, user, values) -> dict[int, Any]:
    """The rows of `content_type` the user may see among the ids `values`, by id."""
    kind = kind_of(content_type)
    ids = [int(v) for v in values if str(v).isdecimal() and len(str(v)) < 19]
    if kind is None or not ids:
        return {}
    return {row.pk: row for row in kind.visible(user).filter(pk__in=ids).select_related(*kind.related)}


class KindPickerField(WidgetKnowsField, forms.Field):
    """Objects of the kind another field of the form names (`kind_field`, a content type's id), chosen with
    a search-as-you-type picker (`url`, told the kind). The form binds it (`bind(user=..., kind=...)`) with
    the person (only rows they may see are accepted) and the content type chosen; cleaning gives the rows,
    in the order chosen, and refuses an id that is not a visible row of that kind."""

    default_error_messages = {
        "invalid_choice": _("没有找到所选对象，或您无权选择它：请在下拉列表中重新选择。"),
        "no_kind": _("请先选择对象类型。"),
    }

    def __init__(self, *, url, kind_field: str, multiple: bool = False, placeholder=None, **kwargs):
        self.multiple = multiple
        self.kind_field = kind_field
        self.user = None
        self.content_type = None
        kwargs.setdefault(
            "widget",
            PickerSelect(
                url, multiple=multiple, placeholder=placeholder or _("先选对象类型，再输入名称查找")
            ),
        )
        super().__init__(**kwargs)
        self.widget.field = self

    def bind(self, *, user, content_type) -> None:
        self.user = user
        self.content_type = content_type

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["data-picker-kind"] = f"id_{self.kind_field}"
        return attrs

    def label_from_instance(self, row) -> str:
        kind = kind_of(self.content_type)
        return kind.label(row) if kind else str(row)

    @staticmethod
    def _values(value) -> list[str]:
        if value in (None, "", [], ()):
            return []
        items = value if isinstance(value, list | tuple) else [value]
        return [part.strip() for item in items for part in SEPARATORS.split(str(item)) if part.strip()]

    def rows_for(self, values) -> list:
        if self.content_type is None:
            return []
        values = [getattr(v, "pk", v) for v in (values if isinstance(values, list | tuple) else [values])]
        found = kind_find(self.content_type, self.user, self._values(values))
        return [
            found[int(v)] for v in dict.fromkeys(self._values(values)) if v.isdecimal() and int(v) in found
        ]

    def prepare_value(self, value):
        if hasattr(value, "__iter__") and not isinstance(value, str):
            return [getattr(v, "pk", v) for v in value]
        return getattr(value, "pk", value)

    def clean(self, value):
        values = list(dict.fromkeys(self._values(value)))
        if not values:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return [] if self.multiple else None
        if self.content_type is None or kind_of(self.content_type) is None:
            raise ValidationError(self.error_messages["no_kind"], code="no_kind")
        rows = self.rows_for(values)
        if len(rows) != len(values):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        if not self.multiple:
            if len(rows) > 1:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
            return rows[0]
        return rows

    def has_changed(self, initial, data):
        before = {str(v) for v in (self.prepare_value(initial) or [])} if initial else set()
        return before != set(self._values(data))


# --- GB/T 13745 disciplines: chosen by name, stored as codes ---------------------------------------------


@dataclass(frozen=True)
class _DisciplineRow:
    pk: str  # the code: what the select submits and what is stored
    text: str  # what a person reads


class DisciplinePickerField(WidgetKnowsField, forms.Field):
    """Disciplines of GB/T 13745 (core.disciplines) chosen by name with a search-as-you-type picker
    (web:pick-disciplines: name, English name, pinyin or code); cleaning gives their codes, in the order
    chosen, without repeats. A typed name or path ("数学 › 代数学") is accepted as well as a code, for pages
    without JavaScript and pasted values. A code that is not in the table is refused, except one the record
    already held (`keep`): an old free-typed code stays until the person removes it, shown as 未知学科."""

    default_error_messages = {
        "unknown": _("“%(value)s”不在学科分类表（GB/T 13745）中：请在下拉列表中按名称重新选择。"),
    }

    def __init__(self, *, multiple: bool = True, placeholder=None, keep=(), **kwargs):
        self.multiple = multiple
        self.keep = set(keep)
        kwargs.setdefault(
            "widget",
            PickerSelect(
                reverse_lazy("web:pick-disciplines"),
                multiple=multiple,
                placeholder=placeholder or _("输入学科名称、拼音或代码查找"),
            ),
        )
        kwargs.setdefault("help_text", _("按 GB/T 13745《学科分类与代码》选择，输入名称即可查找，可选多个。"))
        super().__init__(**kwargs)
        self.widget.field = self

    @staticmethod
    def _values(value) -> list[str]:
        if value in (None, "", [], ()):
            return []
        items = value if isinstance(value, list | tuple) else [value]
        return [part.strip() for item in items for part in SEPARATORS.split(str(item)) if part.strip()]

    def _code(self, value: str) -> str | None:
        code = disciplines.resolve(value)
        if code is None and disciplines.normalise(value) in self.keep:
            code = disciplines.normalise(value)
        return code

    def rows_for(self, values) -> list:
        rows, seen = [], set()
        for v in self._values(values):
            code = self._code(v) or disciplines.normalise(v)
            if code and code not in seen:
                seen.add(code)
                rows.append(_DisciplineRow(code, disciplines.label(code)))
        return rows

    def label_from_instance(self, row) -> str:
        return row.text

    def prepare_value(self, value):
        return self._values(value)

    def clean(self, value):
        values = self._values(value)
        if not values:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return [] if self.multiple else ""
        codes = []
        for v in values:
            code = self._code(v)
            if code is None:
                raise ValidationError(self.error_messages["unknown"], code="unknown", params={"value": v})
            if code not in codes:
                codes.append(code)
        return codes if self.multiple else codes[0]

    def has_changed(self, initial, data):
        return [self._code(v) or v for v in self._values(initial)] != [
            self._code(v) or v for v in self._values(data)
        ]


# --- GB/T 2260 provincial-level divisions: picked by name, stored as codes ----------------------------------


def province_choices(empty=None) -> list[tuple[str, str]]:
    """The 34 provincial-level divisions by name in the reader's language (core.divisions), after an empty
    choice; a callable for a field's choices, so each form shows the language of its request."""
    return [("", str(empty or _("（未选择）"))), *divisions.choices()]


class _DivisionField(forms.ChoiceField):
    """What the province and the city fields share: a searchable `<select>` of the list, in the language of
    the form's request (the choices are a callable, re-read by each form's copy); cleaning gives the stored
    form of a listed value (`_stored`) and refuses any other, except the record's own value from before the
    list (`keep`), offered flagged until staff change it."""

    default_error_messages = {"unknown": divisions.UNKNOWN}

    def __init__(self, **kwargs):
        self.kept = ""
        kwargs.setdefault("required", False)
        super().__init__(choices=self._base_choices, **kwargs)

    def _base_choices(self) -> list:
        raise NotImplementedError

    def _stored(self, value: str) -> str | None:
        """The stored form of a listed value; None when it names nothing of the list."""
        raise NotImplementedError

    def _label(self, value: str) -> str:
        raise NotImplementedError

    def _normalise(self, value) -> str:
        raise NotImplementedError

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        if not self.kept:
            result.choices = result._base_choices
        return result

    def keep(self, value) -> None:
        """Accept and show the record's own `value` even though it names nothing of the list (kept from
        before)."""
        value = str(value or "").strip()
        if value and self._stored(value) is None:
            self.kept = value
            self.choices = [*self._base_choices(), (value, self._label(value))]

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return ""
        if self.kept and value == self.kept:
            return value
        stored = self._stored(value)
        if stored is None:
            raise ValidationError(self.error_messages["unknown"], code="unknown", params={"value": value})
        return stored

    def validate(self, value):
        forms.Field.validate(self, value)

    def has_changed(self, initial, data):
        return self._normalise(initial) != self._normalise(data)


class ProvinceField(_DivisionField):
    """A province (GB/T 2260 provincial-level division) picked by name from the list of all 34 (a searchable
    `<select data-search>`: Tom Select filters it as the person types); cleaning gives its code. A name
    (山西省, 山西, Shanxi) or a code typed or pasted instead, for pages without JavaScript, is accepted too.
    A value the record held from before the list (`keep`) stays choosable, flagged, until staff change it."""

    def __init__(self, *, empty_label=None, **kwargs):
        self.empty_label = empty_label
        kwargs.setdefault("widget", forms.Select(attrs={"data-search": ""}))
        super().__init__(**kwargs)

    def _base_choices(self):
        return province_choices(self.empty_label)

    def _stored(self, value):
        return divisions.resolve(value)

    def _label(self, value):
        return divisions.label(value)

    def _normalise(self, value):
        return divisions.normalise(value)


class CityField(_DivisionField):
    """A city (a prefecture-level division, or a municipality itself) picked by name from a list grouped by
    province (`<select data-search data-narrow-by="province">`: on the page the list shows only the chosen
    province's cities; without JavaScript it is a plain select of them all, by province). Cleaning gives the
    division's Chinese name, as records store it (core.divisions.city_normalise); a name in any language or a
    code sent instead is accepted too. A value the record held from before the list (`keep`) stays choosable,
    flagged, until staff change it. The form's `clean` checks the city against the province
    (`check_city`)."""

    default_error_messages = {"unknown": divisions.UNKNOWN_CITY}

    def __init__(self, *, province_field: str = "province", **kwargs):
        kwargs.setdefault("widget", forms.Select(attrs={"data-search": "", "data-narrow-by": province_field}))
        super().__init__(**kwargs)

    def _base_choices(self):
        return [("", str(_("（未选择）"))), *divisions.city_choices()]

    def _stored(self, value):
        return None if divisions.city_is_flagged(value) else divisions.city_normalise(value)

    def _label(self, value):
        return divisions.city_label(value)

    def _normalise(self, value):
        return divisions.city_normalise(value)


def check_city(form, *, province_field: str = "province", city_field: str = "city") -> None:
    """A form's city must lie in its province (a list narrowed on the page cannot stop a post without
    JavaScript): otherwise an error on the city naming both."""
    data = form.cleaned_data
    city, province = data.get(city_field) or "", data.get(province_field) or ""
    field = form.fields.get(city_field)
    if not city or not province or (field is not None and city == getattr(field, "kept", "")):
        return
    if divisions.resolve(province) is None:
        return  # a province kept from before the list: nothing to check the city against
    if not divisions.city_in_province(city, province):
        form.add_error(
            city_field,
            ValidationError(
                divisions.CITY_NOT_IN_PROVINCE,
                code="not_in_province",
                params={"city": divisions.city_label(city), "province": divisions.name(province)},
            ),
        )


def city_filter_choices(values, *, empty_label=None) -> list:
    """The cities that occur among `values` (stored cities), for a list's filter: by name in the reader's
    language, grouped by province as CityField's list is (a searchable select), and a value from before the
    list that names no division last, flagged, so that staff can find the records to correct."""
    present = {str(v).strip() for v in values if str(v or "").strip()}
    groups = []
    for p in divisions.provinces():
        options = [(c.name_zh, c.name()) for c in divisions.city_options(p.code) if c.name_zh in present]
        if options:
            groups.append((p.name(), options))
    flagged = sorted(v for v in present if divisions.city_is_flagged(v))
    if flagged:
        groups.append((str(_("未识别的城市")), [(v, divisions.city_label(v)) for v in flagged]))
    return [("", str(empty_label or _("全部"))), *groups]


class CityFilterField(forms.ChoiceField):
    """A list's city filter: a searchable select of the cities that occur (`city_filter_choices(values())`,
    read when the form is shown). A city named in another form (an old link's ?city=太原 or Taiyuan) is read
    as the stored name; any division is accepted even if no row is in it (the list is then empty)."""

    def __init__(self, *, values, **kwargs):
        self.values = values
        kwargs.setdefault("widget", forms.Select(attrs={"data-search": ""}))
        kwargs.setdefault("required", False)
        super().__init__(choices=self._read_once(), **kwargs)

    def _read_once(self):
        """The choices as a callable that reads the values once per form (the widget iterates them more than
        once: to render, to decide the `required` attribute)."""
        read: list = []

        def choices():
            if not read:
                read.append(city_filter_choices(self.values()))
            return read[0]

        return choices

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.choices = result._read_once()  # each form reads the values anew, in its request's language
        return result

    def to_python(self, value):
        value = super().to_python(value).strip()
        return divisions.city_normalise(value) if value else ""

    def valid_value(self, value):
        return not divisions.city_is_flagged(value) or super().valid_value(value)

    def bound_data(self, data, initial):
        # shown chosen as the list names it (a link's Taiyuan selects 太原市)
        return divisions.city_normalise(data) if isinstance(data, str) else data
