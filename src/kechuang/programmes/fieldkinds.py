"""The field kinds staff build forms from (issue #18.2), and the renderer that makes a Django form of a form
version's fields.

A form version's fields are a list of dicts (stored as JSON on `FormVersion.fields`, documented in
docs/programmes.md), each with a stable `key` (`f1`, `f2`…, made by the builder, never typed, never reused
within a form), a `kind` from `KINDS`, a `label`, `required`, `help`, and the settings its kind reads:
`max_length`, `min`/`max`, `unit`, `options`, `file_kinds`/`max_mb`, `columns` (a table's typed columns,
each `{"key", "label", "kind"}`), and `show_if` (`{"field": key, "equals": option}`: the field is asked only
when that choice field has that option).

The repeating kinds (team, target indicators, milestones, budget by the standard lines, criteria) are
core.formkinds' fields: the same tables with add/remove the hand-written forms use. Values are stored
JSON-safe (`to_json`) and shown as text (`display`), by the version that took them, for ever.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core import formkinds
from kechuang.core.display import money
from kechuang.core.exceptions import ApplicationError
from kechuang.core.lists import listed
from kechuang.core.uploads import KINDS as UPLOAD_KINDS
from kechuang.core.uploads import read_upload

from . import names

MAX_FIELDS = 200
MAX_MB = 50


@dataclass(frozen=True)
class FieldKind:
    key: str
    label: object
    settings: frozenset[str] = frozenset()  # which settings the builder asks for this kind
    rows: bool = False  # a table of rows: its value is a list of dicts


KINDS: dict[str, FieldKind] = {
    k.key: k
    for k in (
        FieldKind("short_text", _("单行文本"), frozenset({"max_length"})),
        FieldKind("long_text", _("多行文本"), frozenset({"max_length"})),
        FieldKind("number", _("数字（带计量单位）"), frozenset({"min", "max", "unit"})),
        FieldKind("money", _("金额（万元）"), frozenset({"min", "max"})),
        FieldKind("date", _("日期"), frozenset()),
        FieldKind("choice", _("单选"), frozenset({"options"})),
        FieldKind("multi_choice", _("多选"), frozenset({"options"})),
        FieldKind("file", _("附件"), frozenset({"file_kinds", "max_mb"})),
        FieldKind("table", _("表格（自定义列）"), frozenset({"columns"}), rows=True),
        FieldKind("team", _("团队成员"), rows=True),
        FieldKind("indicators", _("目标指标"), rows=True),
        FieldKind("milestones", _("里程碑"), rows=True),
        FieldKind("budget", _("经费预算（按标准科目）"), rows=True),
        FieldKind("criteria", _("评审指标及权重"), rows=True),
    )
}
KIND_CHOICES = [(k.key, k.label) for k in KINDS.values()]

# A table's column kinds.
COLUMN_KINDS = {
    "text": _("文本"),
    "number": _("数字"),
    "money": _("金额（万元）"),
    "date": _("日期"),
}

# The standard budget lines (国办发〔2021〕32号), as the funds app names them.
BUDGET_LINES = [
    ("equipment", _("设备费")),
    ("business", _("业务费")),
    ("labour", _("劳务费")),
    ("indirect", _("间接费用")),
]


def kind_label(kind: str) -> str:
    k = KINDS.get(kind)
    return str(k.label) if k else gettext("未知类型")


# --- the repeating kinds that core.formkinds does not have as such ---------------------------------------


class StandardBudgetRow(formkinds.RowForm):
    line = forms.ChoiceField(label=_("预算科目"), choices=BUDGET_LINES)
    amount = forms.DecimalField(label=_("金额（万元）"), min_value=0, max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class StandardBudgetField(formkinds.RowsField):
    """A budget by the standard lines. Rows: {"line", "amount", "note"}; each line once."""

    row_form = StandardBudgetRow
    add_label = _("添加预算科目")

    def check_rows(self, rows):
        lines = [r["line"] for r in rows]
        if len(set(lines)) != len(lines):
            raise ValidationError(_("每个预算科目只填一行。"))


def _column_field(column: dict) -> forms.Field:
    label = names.local(column, "label")
    kind = column.get("kind")
    if kind == "number":
        return forms.DecimalField(label=label, required=False, max_digits=20, decimal_places=4)
    if kind == "money":
        return forms.DecimalField(label=label, required=False, max_digits=16, decimal_places=2, min_value=0)
    if kind == "date":
        return forms.DateField(
            label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        )
    return forms.CharField(label=label, required=False, max_length=500)


class TableRow(formkinds.RowForm):
    def __init__(self, *args, columns=(), **kwargs):
        super().__init__(*args, **kwargs)
        for column in columns:
            self.fields[column["key"]] = _column_field(column)


class TableField(formkinds.RowsField):
    """A table whose typed columns staff chose. Rows: {column key: value}."""

    row_form = TableRow


# --- files ----------------------------------------------------------------------------------------------


class StoredFileInput(forms.ClearableFileInput):
    """The file input of a data form: the stored file (its name and download link) in words, a box to remove
    it when the field is optional, and the input to replace it (Django's own says 目前/清除/修改 on three
    broken lines)."""

    template_name = "programmes/widgets/stored_file.html"
    initial_text = _("已上传：")
    input_text = _("上传新文件替换（不选则保留已上传的文件）：")
    clear_checkbox_label = _("删除已上传的文件")


class DataFileField(forms.FileField):
    """A file of the kinds the field allows, no larger than its limit; check_upload checks the bytes."""

    widget = StoredFileInput

    def __init__(self, *, kinds=("pdf",), max_mb=10, **kw):
        self.kinds = tuple(k for k in kinds if k in UPLOAD_KINDS) or ("pdf",)
        self.limit = int(max_mb or 10) * 1024 * 1024
        super().__init__(**kw)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and hasattr(upload, "read"):
            try:
                read_upload(upload, allowed=self.kinds, limit=self.limit)
            except ApplicationError as exc:
                raise ValidationError(str(exc.message), code=exc.code) from exc
        return upload


def file_kinds_text(kinds) -> str:
    return listed(ext for k in kinds if k in UPLOAD_KINDS for ext in UPLOAD_KINDS[k].extensions)


# --- one field of a version -------------------------------------------------------------------------------


def _dec(value):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def make_field(spec: dict) -> forms.Field:
    """The Django form field for one field spec."""
    kind = spec.get("kind")
    common = {
        "label": names.local(spec, "label"),
        "required": bool(spec.get("required")),
        "help_text": names.local(spec, "help"),
    }
    lo, hi = _dec(spec.get("min")), _dec(spec.get("max"))
    if kind == "short_text":
        return forms.CharField(max_length=int(spec.get("max_length") or 200), **common)
    if kind == "long_text":
        return forms.CharField(
            max_length=int(spec.get("max_length") or 5000), widget=forms.Textarea(attrs={"rows": 5}), **common
        )
    if kind == "number":
        unit = names.local(spec, "unit")
        if unit:
            common["label"] = f"{common['label']}（{unit}）"
        return forms.DecimalField(min_value=lo, max_value=hi, max_digits=20, decimal_places=4, **common)
    if kind == "money":
        common["label"] = gettext("%(label)s（万元）") % {"label": common["label"]}
        return forms.DecimalField(
            min_value=lo if lo is not None else Decimal(0),
            max_value=hi,
            max_digits=16,
            decimal_places=2,
            **common,
        )
    if kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common)
    options = [(o, names.option_label(spec, o)) for o in spec.get("options") or []]
    if kind == "choice":
        return forms.ChoiceField(choices=[("", "—"), *options], **common)
    if kind == "multi_choice":
        return forms.MultipleChoiceField(choices=options, widget=forms.CheckboxSelectMultiple, **common)
    if kind == "file":
        kinds = spec.get("file_kinds") or ["pdf"]
        max_mb = int(spec.get("max_mb") or 10)
        hint = gettext("可上传 %(kinds)s，不超过 %(mb)s MB。") % {
            "kinds": file_kinds_text(kinds),
            "mb": max_mb,
        }
        common["help_text"] = f"{common['help_text']} {hint}".strip()
        return DataFileField(kinds=kinds, max_mb=max_mb, **common)
    if kind == "table":
        return TableField(row_kwargs={"columns": spec.get("columns") or []}, **common)
    if kind == "team":
        return formkinds.TeamField(**common)
    if kind == "indicators":
        return formkinds.TargetIndicatorsField(**common)
    if kind == "milestones":
        field = formkinds.MilestonesField(**common)
        field.set_indicators([])
        return field
    if kind == "budget":
        return StandardBudgetField(**common)
    if kind == "criteria":
        return formkinds.CriteriaField(**common)
    raise ValueError(f"unknown field kind {kind!r}")


def _shown(spec: dict, data, hidden: set[str] = frozenset()) -> bool:
    """Whether a field with a condition is asked, given the raw submitted data and the keys already found
    hidden (a condition on a hidden choice is not met: its value is dropped)."""
    cond = spec.get("show_if") or None
    if not cond:
        return True
    if data is None:
        return True
    if cond["field"] in hidden:
        return False
    raw = data.getlist(cond["field"]) if hasattr(data, "getlist") else data.get(cond["field"])
    raw = raw if isinstance(raw, list) else [raw]
    return cond.get("equals") in raw


class DataForm(forms.Form):
    """A form built from a version's field specs (`build_form`). Fields are named by their stable keys."""

    def __init__(self, *args, specs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.specs = list(specs)
        self.hidden_keys: set[str] = set()
        for spec in self.specs:
            field = make_field(spec)
            cond = spec.get("show_if")
            if cond:
                source = next((s for s in self.specs if s["key"] == cond["field"]), {})
                note = gettext("仅当“%(field)s”选“%(option)s”时填写。") % {
                    "field": names.local(source, "label"),
                    "option": names.option_label(source, cond.get("equals")),
                }
                field.help_text = f"{field.help_text} {note}".strip()
                field.show_if = cond  # the template names it for conditions.js
                if self.is_bound and not _shown(spec, self.data, self.hidden_keys):
                    field.required = False
                    self.hidden_keys.add(spec["key"])
            self.fields[spec["key"]] = field

    def clean(self):
        cleaned = super().clean()
        for key in self.hidden_keys:
            cleaned.pop(key, None)
            self.errors.pop(key, None) if hasattr(self.errors, "pop") else None
        return cleaned

    def json_values(self) -> dict:
        """The cleaned values, JSON-safe, by key (files left out: the service stores them)."""
        if not self.is_valid():
            raise ValueError("json_values of an invalid form")
        out = {}
        for spec in self.specs:
            key = spec["key"]
            if key in self.hidden_keys or key not in self.cleaned_data or spec["kind"] == "file":
                continue
            out[key] = to_json(self.cleaned_data[key])
        return out

    def files_by_key(self) -> dict:
        self.is_valid()
        return {
            s["key"]: self.cleaned_data[s["key"]]
            for s in self.specs
            if s["kind"] == "file" and s["key"] not in self.hidden_keys and self.cleaned_data.get(s["key"])
        }


def build_form(specs, *, data=None, files=None, initial=None) -> DataForm:
    """The Django form of a version's fields: bound to `data`/`files` when given."""
    return DataForm(data, files, specs=specs, initial=initial, prefix=None)


def to_json(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return str(value)


# --- showing a stored value -------------------------------------------------------------------------------


def _cell(value) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, dict):
        return gettext("；").join(f"{k}{gettext('：')}{v}" for k, v in value.items())
    return str(value)


def row_columns(spec: dict) -> list[tuple[str, str]]:
    """A rows kind's columns as (row key, label), in order."""
    kind = spec.get("kind")
    if kind == "table":
        return [(c["key"], names.local(c, "label")) for c in spec.get("columns") or []]
    field = make_field(spec)
    form = field.row_form(**field.row_kwargs)
    cols = [(n, str(f.label)) for n, f in form.fields.items() if not f.widget.is_hidden]
    if kind == "indicators":
        cols = [(n if n != "direction" else "higher_is_better", lbl) for n, lbl in cols]
    if kind == "milestones":
        cols.append(("targets", gettext("阶段目标")))
    return cols


def display(spec: dict, value, *, with_unit: bool = False) -> str:
    """A stored value as one line of text (for the export and the lists); `with_unit`: an amount of money
    with 万元 (on a page; the export's cell keeps the bare number)."""
    kind = spec.get("kind")
    if value in (None, "", []):
        return ""
    if kind == "multi_choice":
        return listed(names.option_label(spec, v) for v in value)
    if kind == "choice":
        return names.option_label(spec, value)
    if kind == "number":
        unit = names.local(spec, "unit")
        return f"{value} {unit}".strip()
    if (
        kind == "money" and with_unit
    ):  # asked in 万元 (its label says so): a page shows the unit, an export not
        # as the funds pages write money (600 万元 / CNY 6 million: it read "CNY 600 ten thousand", people34)
        try:
            return money(value)
        except (ArithmeticError, ValueError, TypeError):
            return gettext("%(n)s 万元") % {"n": value}
    if kind == "file":
        return value.get("name", "") if isinstance(value, dict) else str(value)
    if kind == "budget":
        lines = dict(BUDGET_LINES)
        return gettext("；").join(
            f"{lines.get(r.get('line'), r.get('line'))} {r.get('amount')}" for r in value
        )
    if KINDS.get(kind) and KINDS[kind].rows:
        cols = row_columns(spec)
        sep, within = gettext("；"), gettext("，")
        return sep.join(within.join(_cell(r.get(k)) for k, _l in cols if _cell(r.get(k))) for r in value)
    return _cell(value)


def display_rows(spec: dict, value) -> tuple[list[str], list[list[str]]]:
    """A rows kind's stored value as a table: (headers, rows of text)."""
    cols = row_columns(spec)
    if spec.get("kind") == "budget":
        lines = dict(BUDGET_LINES)
        value = [{**r, "line": str(lines.get(r.get("line"), r.get("line")))} for r in value or []]
    if spec.get("kind") == "indicators":
        value = [
            {
                **r,
                "higher_is_better": gettext("越高越好")
                if r.get("higher_is_better", True)
                else gettext("越低越好"),
            }
            for r in value or []
        ]
    return [lbl for _k, lbl in cols], [[_cell(r.get(k)) for k, _l in cols] for r in value or []]


def initial_for(spec: dict, value):
    """A stored value as the field's initial value (to show a submission in its own form)."""
    if value is None:
        return None
    if spec.get("kind") in ("number", "money"):
        return _dec(value)
    if spec.get("kind") == "date":
        try:
            return datetime.date.fromisoformat(value)
        except (TypeError, ValueError):
            return None
    return value
