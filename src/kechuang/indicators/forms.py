"""Forms of the indicators pages. They only validate input; the services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.core import uploads
from kechuang.core.uploads import CheckedFileField

from .models import Direction, Indicator, Region, Target, Value


class IndicatorForm(forms.ModelForm):
    aliases_text = forms.CharField(
        label=_("别名"), required=False, help_text=_("用顿号或逗号分隔，供报告事实匹配。")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Indicator
        fields = ["code", "name_zh", "name_en", "unit", "direction", "source", "notes", "published"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields["aliases_text"].initial = "、".join(self.instance.aliases or [])
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True  # an edit must name the version it was made on

    def validate_unique(self):
        pass  # the service reports a duplicate code with its own message

    def cleaned_aliases(self) -> list[str]:
        text = (self.cleaned_data.get("aliases_text") or "").replace(",", "、").replace("，", "、")
        return [a.strip() for a in text.split("、") if a.strip()]


class ValueForm(forms.Form):
    indicator = forms.ModelChoiceField(
        label=_("指标"), queryset=Indicator.objects.order_by("code"), to_field_name="code"
    )
    region = forms.ModelChoiceField(label=_("地区"), queryset=Region.objects.order_by("region_set", "code"))
    year = forms.IntegerField(label=_("年份"), min_value=1900, max_value=2100)
    value = forms.DecimalField(label=_("数值"), max_digits=20, decimal_places=6)
    note = forms.CharField(label=_("出处说明"), required=False, max_length=300)


class RegionForm(forms.Form):
    code = forms.CharField(label=_("地区代码"), max_length=40, help_text=_("行政区划代码，如 620000。"))
    name = forms.CharField(label=_("名称"), max_length=100)
    level = forms.ChoiceField(label=_("层级"), choices=Region.Level.choices, initial=Region.Level.PROVINCE)
    parent = forms.ModelChoiceField(label=_("上级"), queryset=Region.objects.order_by("code"), required=False)
    region_set = forms.CharField(label=_("地区集"), max_length=40, required=False, initial="cn")


class TargetForm(forms.Form):
    indicator = forms.ModelChoiceField(
        label=_("指标"), queryset=Indicator.objects.order_by("code"), to_field_name="code"
    )
    region = forms.ModelChoiceField(label=_("地区"), queryset=Region.objects.order_by("region_set", "code"))
    year = forms.IntegerField(label=_("目标年份"), min_value=1900, max_value=2100)
    comparator = forms.ChoiceField(label=_("比较"), choices=Target.Comparator.choices)
    value = forms.DecimalField(label=_("目标值"), max_digits=20, decimal_places=6)
    note = forms.CharField(label=_("说明"), required=False, max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ImportForm(forms.Form):
    file = CheckedFileField(
        allowed=uploads.TABLES,
        limit_setting="KECHUANG_MAX_IMPORT_BYTES",
        label=_("文件"),
        help_text=_(
            "CSV 或 Excel：地区代码、地区名称、年份、指标代码、指标名称、数值；或 EIS 数据库原文件。"
        ),
    )
    edition = forms.CharField(
        label=_("数据版本"),
        required=False,
        max_length=40,
        help_text=_("本厅数据留空；发布的数据集填写版本，如 EIS2023。"),
    )
    region_set = forms.CharField(label=_("地区集"), required=False, max_length=40)
    publish = forms.BooleanField(label=_("公开新建的指标"), required=False)
    dry_run = forms.BooleanField(label=_("仅试运行（不写入）"), required=False, initial=True)


class NodeForm(forms.Form):
    node = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    weight = forms.DecimalField(label=_("权重"), required=False, min_value=0, max_digits=12, decimal_places=6)
    standard = forms.DecimalField(label=_("标准值"), required=False, max_digits=20, decimal_places=6)
    reason = forms.CharField(label=_("修改理由"), required=False, max_length=300)


class RunForm(forms.Form):
    reference = forms.CharField(
        label=_("参照（单位:年份）"),
        required=False,
        max_length=80,
        help_text=_("留空则用框架的设定，如 EU Average:2016。"),
    )
    region_set = forms.CharField(label=_("地区集"), required=False, max_length=40)


class ContributionForm(forms.Form):
    MODE = [
        ("rates", _("直接输入年均增长率（%）")),
        ("levels", _("输入起止年份的总量")),
        ("data", _("用已录入的指标数据")),
    ]
    mode = forms.ChoiceField(label=_("输入方式"), choices=MODE, initial="rates")
    region = forms.ModelChoiceField(
        label=_("地区（用已录入数据时）"),
        queryset=Region.objects.order_by("region_set", "code"),
        required=False,
    )
    start_year = forms.IntegerField(label=_("起始年份"), required=False, min_value=1900, max_value=2100)
    end_year = forms.IntegerField(label=_("终止年份"), required=False, min_value=1900, max_value=2100)
    output_code = forms.CharField(label=_("产出指标代码"), required=False, initial="GDP")
    capital_code = forms.CharField(label=_("资本存量指标代码"), required=False, initial="CAPITAL")
    labour_code = forms.CharField(label=_("劳动投入指标代码"), required=False, initial="LABOUR")
    output_growth = forms.FloatField(label=_("产出（GDP）年均增长率 %"), required=False)
    capital_growth = forms.FloatField(label=_("资本存量年均增长率 %"), required=False)
    labour_growth = forms.FloatField(label=_("劳动投入年均增长率 %"), required=False)
    years = forms.IntegerField(label=_("年数"), required=False, min_value=1)
    output_start = forms.FloatField(label=_("期初产出"), required=False)
    output_end = forms.FloatField(label=_("期末产出"), required=False)
    capital_start = forms.FloatField(label=_("期初资本存量"), required=False)
    capital_end = forms.FloatField(label=_("期末资本存量"), required=False)
    labour_start = forms.FloatField(label=_("期初劳动投入"), required=False)
    labour_end = forms.FloatField(label=_("期末劳动投入"), required=False)
    alpha = forms.FloatField(label=_("资本产出弹性 α"), initial=0.35, min_value=0, max_value=1)
    beta = forms.FloatField(label=_("劳动产出弹性 β"), initial=0.65, min_value=0, max_value=1)

    def clean(self):
        data = super().clean()
        if data.get("mode") == "levels":
            need = [
                "years",
                "output_start",
                "output_end",
                "capital_start",
                "capital_end",
                "labour_start",
                "labour_end",
            ]
        elif data.get("mode") == "data":
            need = ["region", "start_year", "end_year", "output_code", "capital_code", "labour_code"]
            start, end = data.get("start_year"), data.get("end_year")
            if start and end and end <= start:
                self.add_error("end_year", _("终止年份须晚于起始年份。"))
        else:
            need = ["output_growth", "capital_growth", "labour_growth"]
        for name in need:
            if data.get(name) in (None, ""):
                self.add_error(name, _("请填写此项。"))
        return data


DIRECTION_CHOICES = Direction.choices
VALUE_SOURCES = Value.Source.choices
