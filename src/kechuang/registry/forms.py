"""The registries' forms: units and people are chosen with pickers (nobody types an id or a code)."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.models import Unit, User
from kechuang.core.limits import bounded_text
from kechuang.core.pickers import PickerChoiceField, PickerMultipleChoiceField

from .models import ResultRegistration, TechContract

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def ordered(field, raw) -> list:
    """The rows a multiple picker chose, in the order they were chosen (1 = first completing unit)."""
    return field.rows_for(field._values(raw))


class RegistrationForm(forms.ModelForm):
    units = PickerMultipleChoiceField(
        label=_("完成单位"),
        queryset=Unit.objects.filter(is_active=True),
        url=reverse_lazy("web:pick-units"),
        help_text=_("按贡献大小依次选择，第一个为第一完成单位。"),
    )
    people = PickerMultipleChoiceField(
        label=_("完成人"),
        queryset=User.objects.filter(is_active=True),
        url=reverse_lazy("registry:pick-people"),
        help_text=_("按贡献大小依次选择。"),
    )

    class Meta:
        formfield_callback = bounded_text()
        model = ResultRegistration
        fields = [
            "name",
            "category",
            "evaluation",
            "evaluated_on",
            "stage",
            "industry",
            "keywords",
            "ip_kind",
            "ip_numbers",
            "doi",
            "summary",
        ]
        widgets = {"evaluated_on": DATE, "ip_numbers": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, result_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if result_choices is not None:
            self.fields["result"] = forms.ModelChoiceField(
                label=_("项目成果"), queryset=result_choices, empty_label=_("请选择")
            )
            self.order_fields(["result"])
        if self.instance.pk and not self.is_bound:
            self.initial["units"] = [r.unit_id for r in self.instance.unit_rows.order_by("seq")]
            self.initial["people"] = [r.person_id for r in self.instance.person_rows.order_by("seq")]

    def parties(self) -> dict:
        raw = self.data.getlist if hasattr(self.data, "getlist") else (lambda k: self.data.get(k))
        return {
            "units": ordered(self.fields["units"], raw("units")),
            "people": ordered(self.fields["people"], raw("people")),
        }

    def values(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.Meta.fields}


class TechContractForm(forms.ModelForm):
    seller = PickerChoiceField(
        label=_("卖方（技术输出方）"),
        queryset=Unit.objects.filter(is_active=True),
        url=reverse_lazy("web:pick-units"),
    )
    buyer = PickerChoiceField(
        label=_("买方（技术吸纳方）"),
        queryset=Unit.objects.filter(is_active=True),
        url=reverse_lazy("web:pick-units"),
    )

    class Meta:
        model = TechContract
        fields = ["title", "kind", "field", "seller", "buyer", "amount", "tech_amount", "signed_on", "result"]
        widgets = {"signed_on": DATE}

    def __init__(self, *args, result_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"].queryset = (
            result_choices if result_choices is not None else self.fields["result"].queryset.none()
        )
        self.fields["result"].required = False

    def clean(self):
        data = super().clean()
        amount, tech = data.get("amount"), data.get("tech_amount")
        if amount is not None and tech is not None and tech > amount:
            self.add_error("tech_amount", _("技术交易额不能超过合同成交额。"))
        if data.get("seller") and data.get("seller") == data.get("buyer"):
            self.add_error("buyer", _("买方与卖方不能是同一单位。"))
        return data

    def values(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.Meta.fields}
