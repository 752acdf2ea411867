"""Field kinds for the repeating parts of a form (issue #13.1): rows with add/remove, one typed field per
column, instead of pipe-separated lines.

Each kind is ONE form field (`RowsField`), so any form takes it like any other field and any view saves it
like any other value: its widget renders a formset (a table of rows, each with a remove button, and an
add-row button that copies the formset's empty row: kechuang/js/app.js; without JavaScript a spare row and
a delete box per row do the same), and its `clean()` returns structured data: a list of dicts, one per
filled row, in the shapes the services already take. A refused form shows every row as typed, with each
cell's reason beside it.

The kinds (issue #18 lets staff compose application forms from them):
- `TeamField`: team members (姓名, 职称, 分工; 所属单位 among a joint application's units);
- `TargetIndicatorsField`: target indicators (名称, 计量单位, 现有水平, 目标值, 方向);
- `CriteriaField`: review criteria (名称, 权重; the code each criterion is stored by is made, not typed);
- `MilestonesField`: milestones (阶段目标, 第几个月, 拨付经费) with one target column per indicator of the
  call (`set_indicators`), so milestones carry their indicators' stage targets;
- `BudgetLinesField`: budget lines (科目, 金额, 说明);
- `DatedRowsField`-like kinds are made the same way: subclass `RowForm`, give it `to_row()`, wrap it in a
  `RowsField` subclass.
"""

from __future__ import annotations

import copy
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import formset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .fields import WidgetKnowsField
from .lists import listed

MAX_ROWS = 100


class RowForm(forms.Form):
    """One row. `to_row()` turns its cleaned data into the dict the services take."""

    def to_row(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "DELETE"}


class _RowFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("删除")
            form.fields["DELETE"].widget.attrs["class"] = "row-delete"


class RowsWidget(forms.Widget):
    """Renders the field's formset: the rows as a table, a template row, add and remove buttons."""

    template_name = "core/formkinds/rows.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.field = None  # set by the field (and again on every copy)

    def value_from_datadict(self, data, files, name):
        # The field's part of the submitted data, as it was typed (bound again on render to show errors).
        prefix = f"{name}-"
        if hasattr(data, "lists"):
            return {k: v for k, v in data.lists() if k.startswith(prefix)} or None
        return {k: v for k, v in data.items() if k.startswith(prefix)} or None

    def value_omitted_from_data(self, data, files, name):
        return f"{name}-TOTAL_FORMS" not in data

    def id_for_label(self, id_):
        return ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        formset = self.field.formset(name, value)
        if formset.is_bound:
            formset.is_valid()  # fills the rows' errors, shown beside each cell
        context["formset"] = formset
        context["columns"] = [
            f for n, f in formset.empty_form.fields.items() if n != "DELETE" and not f.widget.is_hidden
        ]
        context["add_label"] = self.field.add_label
        context["legend"] = self.field.label
        return context


def _raw(data: dict, key: str, default=""):
    value = data.get(key, default)
    if isinstance(value, list):
        return value[-1] if value else default
    return value


class RowsField(WidgetKnowsField, forms.Field):
    """A list of rows of `row_form`, typed as a table with add/remove; cleans to `[row_form.to_row()]`."""

    row_form: type[RowForm] = RowForm
    add_label = _("添加一行")
    min_rows = 0
    extra = 1
    widget = RowsWidget

    def __init__(self, *, row_form=None, min_rows=None, extra=None, add_label=None, row_kwargs=None, **kw):
        if row_form is not None:
            self.row_form = row_form
        if min_rows is not None:
            self.min_rows = min_rows
        if extra is not None:
            self.extra = extra
        if add_label is not None:
            self.add_label = add_label
        self.row_kwargs = dict(row_kwargs or {})
        kw.setdefault("required", self.min_rows > 0)
        super().__init__(**kw)
        self.widget.field = self

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.row_kwargs = copy.copy(self.row_kwargs)
        return result

    # --- the formset ------------------------------------------------------------------------------

    def formset_class(self):
        return formset_factory(
            self.row_form,
            formset=_RowFormSet,
            extra=self.extra,
            can_delete=True,
            max_num=MAX_ROWS,
            absolute_max=MAX_ROWS,
            validate_max=True,
        )

    def formset(self, name: str, value):
        """The formset of this field: bound to `value` when it is submitted data (a dict of the field's
        keys), else showing `value` (a list of row dicts) as initial rows."""
        cls = self.formset_class()
        if isinstance(value, dict):
            data = {k: v[-1] if isinstance(v, list) else v for k, v in value.items()}
            return cls(data=data, prefix=name, form_kwargs=self.row_kwargs)
        initial = [self.initial_row(r) for r in (value or [])]
        fs = cls(initial=initial, prefix=name, form_kwargs=self.row_kwargs)
        if initial:
            fs.extra = 0
        return fs

    def initial_row(self, row: dict) -> dict:
        """A stored row (as `clean` returns it) as the row form's initial values."""
        return dict(row)

    # --- cleaning ---------------------------------------------------------------------------------

    def prepare_value(self, value):
        return value

    def bound_data(self, data, initial):
        return data if data is not None else initial

    def has_changed(self, initial, data):
        return data is not None

    def clean(self, value):
        if value is None:
            rows = []
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return rows
        total = next((k for k in value if k.endswith("-TOTAL_FORMS")), None)
        if total is None:
            raise ValidationError(_("表格数据不完整，请刷新页面后重新填写。"))
        formset = self.formset(total.removesuffix("-TOTAL_FORMS"), value)
        if not formset.is_valid():
            problems = list(formset.non_form_errors())
            bad = [i + 1 for i, errors in enumerate(formset.errors) if errors]
            if bad:
                problems.append(
                    _("第 %(rows)s 行有误，见各行的说明。") % {"rows": listed(str(n) for n in bad)}
                )
            raise ValidationError(problems)
        rows = [
            f.to_row()
            for f in formset.forms
            if f.has_changed() and not (formset.can_delete and formset._should_delete_form(f))
        ]
        if len(rows) < self.min_rows:
            raise ValidationError(
                ngettext("至少填写 %(n)d 行。", "至少填写 %(n)d 行。", self.min_rows) % {"n": self.min_rows},
                code="min_rows",
                params={"n": self.min_rows},
            )
        self.check_rows(rows)
        return rows

    def check_rows(self, rows: list[dict]) -> None:
        """Checks across rows (a subclass raises ValidationError)."""


# --- the kinds ------------------------------------------------------------------------------------------


def _text(label, max_length=200, required=True, **kw):
    return forms.CharField(label=label, max_length=max_length, required=required, **kw)


class TeamMemberRow(RowForm):
    name = _text(_("姓名"), 100)
    title = _text(_("职称"), 60, required=False)
    duty = _text(_("分工"), 200, required=False)

    def __init__(self, *args, units=None, units_source="", **kwargs):
        super().__init__(*args, **kwargs)
        self.has_units = units is not None
        if self.has_units:
            # The member's unit, among the form's units ([(id or "", label)]: the lead first, as "").
            # `units_source`: the field of rows whose pickers add units as they are picked (app.js).
            self.fields["unit"] = forms.TypedChoiceField(
                label=_("所属单位"), choices=list(units), coerce=int, empty_value=None, required=False
            )
            if units_source:
                self.fields["unit"].widget.attrs["data-unit-source"] = units_source
            self.order_fields(["name", "unit", "title", "duty"])

    def to_row(self) -> dict:
        row = super().to_row()
        if self.has_units:
            row["unit_id"] = row.pop("unit")
        return row


class TeamField(RowsField):
    """Team members: name, title, duty. Rows: {"name", "title", "duty"}. With `set_units([(id, label)])`
    (the lead unit as "" first, then the partner units of a joint application) a column 所属单位 is added
    and rows carry "unit_id" (None: the lead unit)."""

    row_form = TeamMemberRow
    add_label = _("添加成员")

    def set_units(self, choices, *, source: str = "") -> None:
        self.row_kwargs["units"] = [("" if v is None else str(v), label) for v, label in choices]
        self.row_kwargs["units_source"] = source

    def initial_row(self, row: dict) -> dict:
        row = dict(row)
        if "unit_id" in row:
            uid = row.pop("unit_id")
            row["unit"] = "" if uid is None else str(uid)
        return row


class TargetIndicatorRow(RowForm):
    name = _text(_("指标名称"), 200)
    unit = _text(_("计量单位"), 40, required=False)
    baseline = forms.DecimalField(label=_("现有水平"), required=False, max_digits=16, decimal_places=4)
    target = forms.DecimalField(label=_("目标值"), max_digits=16, decimal_places=4)
    direction = forms.ChoiceField(
        label=_("方向"),
        choices=[("higher", _("越高越好")), ("lower", _("越低越好"))],
        initial="higher",
        required=False,  # not sent: higher is better
    )

    def to_row(self) -> dict:
        d = self.cleaned_data
        return {
            "name": d["name"],
            "unit": d["unit"],
            "baseline": d["baseline"],
            "target": d["target"],
            "higher_is_better": d["direction"] != "lower",
        }


class TargetIndicatorsField(RowsField):
    """Target indicators. Rows: {"name", "unit", "baseline", "target", "higher_is_better"}."""

    row_form = TargetIndicatorRow
    add_label = _("添加指标")
    min_rows = 1

    def initial_row(self, row: dict) -> dict:
        row = dict(row)
        row["direction"] = "higher" if row.pop("higher_is_better", True) else "lower"
        return row

    def check_rows(self, rows):
        names = [r["name"] for r in rows]
        if len(set(names)) != len(names):
            raise ValidationError(_("指标名称不能重复。"))


class CriterionRow(RowForm):
    code = forms.CharField(required=False, widget=forms.HiddenInput)  # kept for stored criteria, never typed
    name = _text(_("评审指标"), 100)
    name_en = forms.CharField(
        label=_("评审指标（英文，可选）"),
        max_length=200,
        required=False,
        help_text=_("英文页面显示；留空则显示中文。"),
    )
    weight = forms.DecimalField(label=_("权重"), min_value=Decimal("0.01"), max_value=1, decimal_places=4)

    def to_row(self) -> dict:
        d = self.cleaned_data
        row = {"code": d["code"], "name": d["name"], "weight": float(d["weight"])}
        if d.get("name_en", "").strip():
            row["name_en"] = d["name_en"].strip()
        return row


class CriteriaField(RowsField):
    """Review criteria with weights summing to 1. Rows: {"code", "name", "weight"} and an optional English
    name ("name_en", shown on English pages); a new criterion gets the
    code `c1`, `c2`… (the first free one): the scores are stored by it, and nobody types it."""

    row_form = CriterionRow
    add_label = _("添加评审指标")
    min_rows = 1

    def check_rows(self, rows):
        total = sum(Decimal(str(r["weight"])) for r in rows)
        if abs(total - 1) > Decimal("0.001"):
            raise ValidationError(_("权重之和应为 1，现在是 %(t)s。") % {"t": f"{total.normalize():f}"})
        taken = {r["code"] for r in rows if r["code"]}
        n = 1
        for r in rows:
            if not r["code"]:
                while f"c{n}" in taken:
                    n += 1
                r["code"] = f"c{n}"
                taken.add(r["code"])


class MilestoneRow(RowForm):
    title = _text(_("阶段目标"), 200)
    month = forms.IntegerField(label=_("第几个月"), min_value=1, max_value=120)
    tranche = forms.DecimalField(
        label=_("拨付经费（万元）"), min_value=0, max_digits=14, decimal_places=2, required=False
    )

    def __init__(self, *args, indicators=(), labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        labels = labels or {}
        for i, name in enumerate(self.indicators):
            self.fields[f"target_{i}"] = forms.DecimalField(
                label=_("%(n)s 阶段目标") % {"n": labels.get(name) or name},
                required=False,
                max_digits=16,
                decimal_places=4,
            )

    def to_row(self) -> dict:
        d = self.cleaned_data
        targets = {
            name: str(d[f"target_{i}"])
            for i, name in enumerate(self.indicators)
            if d[f"target_{i}"] is not None
        }
        return {
            "title": d["title"],
            "month": d["month"],
            "tranche": d["tranche"] or Decimal(0),
            "targets": targets,
        }


class MilestonesField(RowsField):
    """Milestones with their indicators' stage targets. Rows: {"title", "month", "tranche",
    "targets": {indicator name: value as text}}. `set_indicators(names)` gives the target columns."""

    row_form = MilestoneRow
    add_label = _("添加里程碑")
    min_rows = 1

    def set_indicators(self, names, labels=None) -> None:
        """The indicators by name (the rows' targets keep the name as stored); `labels` ({name: words}) names
        each column in the reader's language (an English page: the indicator's English name)."""
        self.row_kwargs["indicators"] = list(names)
        self.row_kwargs["labels"] = dict(labels or {})

    def initial_row(self, row: dict) -> dict:
        out = {k: row.get(k) for k in ("title", "month", "tranche")}
        for i, name in enumerate(self.row_kwargs.get("indicators", ())):
            if name in (row.get("targets") or {}):
                out[f"target_{i}"] = row["targets"][name]
        return out


class BudgetLineRow(RowForm):
    item = _text(_("预算科目"), 100)
    amount = forms.DecimalField(label=_("金额（万元）"), min_value=0, max_digits=14, decimal_places=2)
    note = _text(_("说明"), 300, required=False)


class BudgetLinesField(RowsField):
    """Budget lines. Rows: {"item", "amount", "note"}; `total(rows)` adds them up (Decimal)."""

    row_form = BudgetLineRow
    add_label = _("添加预算科目")

    @staticmethod
    def total(rows) -> Decimal:
        return sum((r["amount"] for r in rows), Decimal(0))


class MilestoneDateRow(RowForm):
    seq = forms.TypedChoiceField(label=_("里程碑"), coerce=int, choices=())
    due = forms.DateField(label=_("新到期日"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, milestones=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seq"].choices = [("", "—")] + [(str(seq), label) for seq, label in milestones]


class MilestoneDatesField(RowsField):
    """New due dates of existing milestones, chosen by title. Rows: {"seq", "due"}.
    `set_milestones([(seq, label)])` gives the choices."""

    row_form = MilestoneDateRow
    add_label = _("添加一项")

    def set_milestones(self, pairs) -> None:
        self.row_kwargs["milestones"] = list(pairs)

    def check_rows(self, rows):
        seqs = [r["seq"] for r in rows]
        if len(set(seqs)) != len(seqs):
            raise ValidationError(_("每个里程碑只填一次。"))


def rows_post(name: str, rows: list[dict], *, initial: int = 0) -> dict:
    """What a browser posts for a field of rows (`name`), each row a dict of column values: for tests and
    scripts that post the web forms."""
    data = {
        f"{name}-TOTAL_FORMS": str(len(rows)),
        f"{name}-INITIAL_FORMS": str(initial),
        f"{name}-MIN_NUM_FORMS": "0",
        f"{name}-MAX_NUM_FORMS": str(MAX_ROWS),
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{name}-{i}-{key}"] = "" if value is None else str(value)
    return data
