from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.models import Unit
from kechuang.accounts.pickers import unit_field
from kechuang.core import uploads
from kechuang.core.limits import REASON_MAX
from kechuang.core.uploads import CheckedFileField

from .models import Record, Restriction
from .workflow import RECORD

DATE = forms.DateInput(attrs={"type": "date"})


class RecordForm(forms.Form):
    """A finding entered by staff: the unit is picked by name (searched as one types), never by id."""

    subject_kind = forms.ChoiceField(label=_("对象类型"), choices=Record.Subject.choices)
    unit = unit_field(
        label=_("单位"),
        queryset=Unit.objects.all(),
        help_text=_("单位记录：被处理的单位；个人记录：其所在单位。输入名称后从提示中选择。"),
    )
    person_name = forms.CharField(label=_("姓名（个人记录）"), max_length=100, required=False)
    source = forms.CharField(
        label=_("来源"), max_length=200, help_text=_("作出处理的机关及文件，如某部通报。")
    )
    decision = forms.CharField(label=_("处理决定"), max_length=300)
    finding = forms.CharField(
        max_length=REASON_MAX, label=_("查实的问题"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    decided_on = forms.DateField(label=_("决定日期"), widget=DATE)
    restrictions = forms.MultipleChoiceField(
        label=_("限制事项"), choices=Restriction.choices, widget=forms.CheckboxSelectMultiple
    )
    starts_on = forms.DateField(label=_("限制起始日"), widget=DATE)
    ends_on = forms.DateField(label=_("限制截止日（长期留空）"), widget=DATE, required=False)

    def service_kwargs(self) -> dict:
        d = dict(self.cleaned_data)
        r = set(d.pop("restrictions"))
        return {
            **d,
            "bars_applying": Restriction.APPLY.value in r,
            "bars_expert_work": Restriction.EXPERT.value in r,
            "bars_awards": Restriction.AWARD.value in r,
        }


class ReasonForm(forms.Form):
    """A record's step: why, on which day, and for a step that cannot be undone (RECORD.irreversible(): a
    granted appeal, a revocation) a ticked box saying the person knows it."""

    reason = forms.CharField(
        max_length=REASON_MAX, label=_("理由或意见"), widget=forms.Textarea(attrs={"rows": 3})
    )
    on = forms.DateField(label=_("日期"), widget=DATE, required=False)
    confirm = forms.BooleanField(label=_("确认：处理撤销后不能恢复。"))

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        if action not in RECORD.irreversible():
            del self.fields["confirm"]


class ImportForm(forms.Form):
    file = CheckedFileField(
        allowed=uploads.TABLES,
        limit_setting="KECHUANG_MAX_IMPORT_BYTES",
        label=_("Excel 或 CSV 文件"),
        help_text=_(
            "对象类型填“个人”或“单位”；限制事项填不得申报项目、不得担任评审专家、不得立项或获奖，多项用顿号分隔；"
            "日期写作 2025-06-01"
        ),
    )
    commit = forms.BooleanField(label=_("确认导入（不勾选则只检查）"), required=False)
