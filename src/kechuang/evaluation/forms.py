"""Forms of the campaign pages; services validate and write."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.core.fields import LookupMultipleChoiceField
from kechuang.platforms.models import Kind, Platform

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
    grade_params = JSONField(
        label=_("定级参数"),
        required=False,
        help_text=_(
            '分数线如 {"excellent": 85, "good": 75, "pass": 60}；比例如 {"excellent": 0.2, "good": 0.3, "pass": 0.4}；留空用默认值'
        ),
    )
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class NodeForm(forms.Form):
    code = forms.SlugField(label=_("代码"), max_length=40)
    name = forms.CharField(label=_("指标名称"), max_length=200)
    weight = forms.DecimalField(label=_("权重"), min_value=0, max_digits=8, decimal_places=4)
    parent = forms.CharField(label=_("上级指标代码"), required=False)
    rule = forms.ChoiceField(label=_("评分规则"), choices=IndicatorNode.Rule.choices)
    source = forms.ChoiceField(
        label=_("数据来源字段"), required=False, choices=[("", "—")] + [(f, f) for f in REPORT_FIELDS]
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
