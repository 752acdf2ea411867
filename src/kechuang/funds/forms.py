"""Forms of the money pages. Amounts are typed in 万元 (as people write them) and kept in 元 to the fen."""

from decimal import Decimal

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.limits import REASON_MAX

from . import money
from .models import FinalAccount, Line

WAN_FIELD = {"max_digits": 14, "decimal_places": 6, "min_value": Decimal("0")}


class WanField(forms.DecimalField):
    """An amount typed in 万元 (up to six decimals: a fen), cleaned to 元."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("单位：万元"))
        super().__init__(**WAN_FIELD, **kwargs)

    def clean(self, value):
        wan = super().clean(value)
        return None if wan is None else money.wan_to_yuan(wan)


class BudgetLineForm(forms.Form):
    """One row of a budget: its line (fixed per row), fiscal and self-raised amounts, how it was reckoned."""

    line = forms.ChoiceField(label=_("预算科目"), choices=Line.choices, widget=forms.HiddenInput)
    fiscal = WanField(label=_("财政经费（万元）"), required=False)
    self_raised = WanField(label=_("自筹经费（万元）"), required=False)
    note = forms.CharField(label=_("测算依据"), max_length=300, required=False)

    def line_code(self) -> str:
        """The row's budget line (fixed per row: as shown, or as posted)."""
        return self.initial.get("line") or self.data.get(self.add_prefix("line")) or ""

    def line_label(self):
        return dict(Line.choices).get(self.line_code(), "")


# One row per standard line, in the order of the national forms: a reusable table of budget rows.
BudgetLinesFormSet = formset_factory(BudgetLineForm, extra=0, max_num=len(Line.choices), validate_max=True)


def budget_initial(rows: list[dict]) -> list[dict]:
    """A formset's initial rows from selectors.budget_rows (元 shown in 万元)."""
    return [
        {
            "line": r["line"],
            "fiscal": money.yuan_to_wan(r["fiscal"]) if r["fiscal"] else None,
            "self_raised": money.yuan_to_wan(r["self_raised"]) if r["self_raised"] else None,
            "note": r["note"],
        }
        for r in rows
    ]


class RulesForm(forms.Form):
    indirect_max_pct = forms.DecimalField(
        label=_("间接费用上限（占直接费用 %）"), max_digits=5, decimal_places=2, min_value=0, max_value=100
    )
    adjust_small_pct = forms.DecimalField(
        label=_("专员可批调整比例（占调出科目 %）"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
    )
    adjust_small_amount = WanField(label=_("专员可批调整金额（万元）"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PayForm(forms.Form):
    paid_on = forms.DateField(label=_("拨付日期"), widget=forms.DateInput(attrs={"type": "date"}))
    paid_amount = WanField(label=_("拨付金额（万元）"))
    voucher = forms.FileField(label=_("拨付凭证"), help_text=_("PDF、图片或 Excel/Word 文件。"))


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=REASON_MAX, label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))


class CofundingForm(forms.Form):
    amount = WanField(label=_("到账金额（万元）"))
    received_on = forms.DateField(label=_("到账日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


# "第2季度" in the reader's language: `_("…") % …` in a class body is formatted once, at import, in the
# language then active (walked, session 31: the English spending form offered 第1季度…第4季度).
def _quarter_text(q: int) -> str:
    return gettext("第%(q)s季度") % {"q": q}


_quarter = lazy(_quarter_text, str)


class SpendingForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("季度"), coerce=int, choices=[(q, _quarter(q)) for q in (1, 2, 3, 4)]
    )
    note = forms.CharField(
        max_length=REASON_MAX,
        label=_("执行情况说明"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        for value, label in Line.choices:
            self.fields[f"line_{value}"] = WanField(
                label=_("%(line)s支出（万元）") % {"line": label}, required=False
            )

    def lines(self) -> dict:
        return {value: self.cleaned_data.get(f"line_{value}") or money.ZERO for value, _l in Line.choices}


class AdjustmentForm(forms.Form):
    source = forms.ChoiceField(label=_("调出科目"), choices=Line.choices)
    target = forms.ChoiceField(label=_("调入科目"), choices=Line.choices)
    amount = WanField(label=_("调整金额（万元）"))
    reason = forms.CharField(
        max_length=REASON_MAX, label=_("调整理由"), widget=forms.Textarea(attrs={"rows": 2})
    )


class DecideForm(forms.Form):
    note = forms.CharField(max_length=REASON_MAX, label=_("审批意见"), required=False)


class FinalAccountForm(forms.Form):
    handling = forms.ChoiceField(label=_("结余处理"), choices=FinalAccount.Handling.choices)
    note = forms.CharField(
        max_length=REASON_MAX, label=_("决算说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ConfirmPayForm(PayForm):
    confirm = forms.BooleanField(label=_("我已核对拨付金额与凭证，登记后不可撤销"))
