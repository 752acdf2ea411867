"""Forms of the campaign pages; services validate and write."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.core.fields import LookupMultipleChoiceField
from kechuang.platforms.models import Kind, Platform

from .display import source_label
from .models import Campaign, IndicatorNode
from .services import REPORT_FIELDS


class JSONField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return {}
        try:
            data = json.loads(value)
        except ValueError:
            raise forms.ValidationError(_("请输入有效的 JSON。"))
        if not isinstance(data, dict):
            raise forms.ValidationError(_("请输入 JSON 对象。"))
        return data


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200)
    year = forms.IntegerField(label=_("数据年度"), min_value=2000, max_value=2100)
    grading = forms.ChoiceField(label=_("定级方式"), choices=Campaign.Grading.choices)
    # The grade boundaries, one field a grade (not JSON): scores for 按分数线, shares for 按比例.
    excellent = forms.DecimalField(
        label=_("优秀"),
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=2,
        help_text=_(
            "按分数线：优秀的最低分（如 85）；按比例：优秀所占比例（如 0.2 即前 20%）。三项都留空用默认值。"
        ),
    )
    good = forms.DecimalField(label=_("良好"), required=False, min_value=0, max_digits=6, decimal_places=2)
    pass_ = forms.DecimalField(label=_("合格"), required=False, min_value=0, max_digits=6, decimal_places=2)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        given = {g: data.pop(f) for g, f in (("excellent", "excellent"), ("good", "good"), ("pass", "pass_"))}
        if any(v is not None for v in given.values()) and any(v is None for v in given.values()):
            raise forms.ValidationError(_("请填写全部三个等级的界线，或都留空用默认值。"))
        data["grade_params"] = {g: float(v) for g, v in given.items() if v is not None}
        return data


class NodeForm(forms.Form):
    code = forms.SlugField(label=_("代码"), max_length=40)
    name = forms.CharField(label=_("指标名称"), max_length=200)
    weight = forms.DecimalField(label=_("权重"), min_value=0, max_digits=8, decimal_places=4)
    parent = forms.CharField(label=_("上级指标代码"), required=False)
    rule = forms.ChoiceField(label=_("评分规则"), choices=IndicatorNode.Rule.choices)
    source = forms.ChoiceField(
        label=_("数据来源"),
        required=False,
        choices=[("", "—")] + [(f, source_label(f)) for f in REPORT_FIELDS],
    )
    params = JSONField(
        label=_("规则参数"),
        required=False,
        help_text=_(
            '阈值：{"steps": [[0, 40], [10, 60], [20, 100]]}；线性：{"min": 0, "max": 50}；专家：{"max": 100}'
        ),
    )


class EntriesForm(forms.Form):
    # Typed by platform code (or id), one a line: a <select> would list all 5,000 platforms (see core.fields).
    platforms = LookupMultipleChoiceField(
        label=_("参评平台"),
        queryset=Platform.objects.filter(status__in=["trial", "operating"]),
        to_field_name="code",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("平台编号，每行一个；或按类型全选。"),
    )
    kind = forms.ChoiceField(label=_("或按类型全选"), required=False, choices=[("", "—")] + Kind.choices)
