"""Forms of the campaign pages; services validate and write."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from kechuang.challenges.models import Contract
from kechuang.core.formkinds import RowForm, RowsField
from kechuang.core.limits import TEXT_MAX
from kechuang.core.pickers import PickerMultipleChoiceField
from kechuang.platforms.models import Kind, Platform
from kechuang.platforms.pickers import platform_field

from .display import source_label
from .models import Campaign, IndicatorNode
from .projects import PROJECT_FIELDS
from .services import REPORT_FIELDS


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200)
    name_en = forms.CharField(
        label=_("英文名称"),
        max_length=300,
        required=False,
        help_text=_("可不填；英文页面显示，未填时显示中文名称。"),
    )
    subject = forms.ChoiceField(
        label=_("评估对象"), choices=Campaign.Subject.choices, initial="platform", required=False
    )
    stage = forms.ChoiceField(
        label=_("评价阶段"),
        required=False,
        choices=[("", "—"), *[(v, lbl) for v, lbl in Campaign.Stage.choices if v]],
        help_text=_("项目绩效评价必选：中期（实施中的项目）或验收后（已验收的项目）。平台评估不填。"),
    )
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
    description = forms.CharField(
        max_length=TEXT_MAX, label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        fields = (("excellent", "excellent"), ("good", "good"), ("pass", "pass_"))
        if any(f in self.errors for _g, f in fields):
            return data  # a boundary refused (not a number): its own message says why
        given = {g: data.pop(f) for g, f in fields}
        if any(v is not None for v in given.values()) and any(v is None for v in given.values()):
            raise forms.ValidationError(_("请填写全部三个等级的界线，或都留空用默认值。"))
        data["grade_params"] = {g: float(v) for g, v in given.items() if v is not None}
        data["subject"] = data.get("subject") or Campaign.Subject.PLATFORM
        if data.get("subject") == Campaign.Subject.PROJECT and not data.get("stage"):
            self.add_error("stage", _("项目绩效评价须选择评价阶段：中期或验收后。"))
        if data.get("subject") == Campaign.Subject.PLATFORM:
            data["stage"] = ""
        return data


class StepRow(RowForm):
    value = forms.DecimalField(label=_("达到值"), max_digits=16, decimal_places=4)
    score = forms.DecimalField(label=_("得分"), min_value=0, max_value=100, max_digits=6, decimal_places=2)


class StepsField(RowsField):
    """The steps of a threshold rule: from this value up, this score. Rows: {"value", "score"}."""

    row_form = StepRow
    add_label = _("添加一档")

    def check_rows(self, rows):
        values = [r["value"] for r in rows]
        if len(set(values)) != len(values):
            raise forms.ValidationError(_("各档的达到值不能相同。"))


DEC = {"max_digits": 16, "decimal_places": 4, "required": False}


class NodeForm(forms.Form):
    """An indicator of the campaign's tree, with its rule's parameters as typed fields, one group per rule
    kind (not JSON): threshold steps as rows, the linear rule's two ends, the expert rule's full score."""

    # The indicator's own short name for exports and the API: made when left empty (nobody must type one).
    code = forms.SlugField(
        label=_("简称（可不填）"),
        max_length=40,
        required=False,
        help_text=_("导出和接口中用的简称，字母或数字；不填则自动生成。"),
    )
    name = forms.CharField(label=_("指标名称"), max_length=200)
    name_en = forms.CharField(
        label=_("英文名称"),
        max_length=200,
        required=False,
        help_text=_("可不填；英文页面显示，未填时显示中文名称。"),
    )
    weight = forms.DecimalField(label=_("权重"), min_value=0, max_digits=8, decimal_places=4)
    parent = forms.ChoiceField(label=_("上级指标"), required=False, choices=[("", _("（顶层）"))])
    rule = forms.ChoiceField(label=_("评分规则"), choices=IndicatorNode.Rule.choices)
    source = forms.ChoiceField(
        label=_("数据来源"),
        required=False,
        choices=[("", "—")] + [(f, source_label(f)) for f in REPORT_FIELDS],
        help_text=_("阈值分档和线性规则取年度报告中的这一项。"),
    )
    steps = StepsField(label=_("阈值分档：达到值及得分"), required=False)
    linear_min = forms.DecimalField(label=_("线性：得 0 分的值"), **DEC)
    linear_max = forms.DecimalField(label=_("线性：得满分的值"), **DEC)
    expert_max = forms.DecimalField(label=_("专家评分：满分"), min_value=1, **DEC)

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        if campaign is not None and campaign.is_project:
            self.fields["source"].choices = [("", "—")] + [(f, str(lbl)) for f, lbl in PROJECT_FIELDS.items()]
            self.fields["source"].help_text = _(
                "阈值分档和线性规则取项目的这一项（任务书考核指标、里程碑、成果）。"
            )
        if campaign is not None:
            self.fields["parent"].choices = [("", _("（顶层）"))] + [
                (n.code, n.local_name)
                for n in campaign.nodes.filter(rule=IndicatorNode.Rule.GROUP).order_by("order")
            ]

    def clean(self):
        data = super().clean()
        rule = data.get("rule")
        params: dict = {}
        if rule == IndicatorNode.Rule.THRESHOLD:
            steps = data.get("steps") or []
            if not steps:
                self.add_error("steps", _("阈值分档至少一档。"))
            params = {"steps": [[float(r["value"]), float(r["score"])] for r in steps]}
        elif rule == IndicatorNode.Rule.LINEAR:
            lo, hi = data.get("linear_min"), data.get("linear_max")
            if hi is None:
                self.add_error("linear_max", _("线性规则须填写得满分的值。"))
            else:
                params = {"min": float(lo or 0), "max": float(hi)}
        elif rule == IndicatorNode.Rule.EXPERT and data.get("expert_max") is not None:
            params = {"max": float(data["expert_max"])}
        data["params"] = params
        if not data.get("code") and self.campaign is not None:
            taken = set(self.campaign.nodes.values_list("code", flat=True))
            n = len(taken) + 1
            while f"i{n}" in taken:
                n += 1
            data["code"] = f"i{n}"
        for name in ("steps", "linear_min", "linear_max", "expert_max"):
            data.pop(name, None)
        return data


class ContractPicker(PickerMultipleChoiceField):
    """Projects shown by title and unit (not their code)."""

    def label_from_instance(self, obj):
        return f"{obj.title}（{obj.unit}）"


class ContractsForm(forms.Form):
    """The projects of a performance evaluation, searched by title, code or unit (web:pick-projects)."""

    contracts = ContractPicker(
        label=_("参评项目"),
        queryset=Contract.objects.select_related("unit"),
        url=reverse_lazy("web:pick-projects"),
        placeholder=_("输入项目名称或承担单位查找"),
        required=False,
        help_text=_(
            "输入项目名称或承担单位查找，可选多个。验收后评价只能选已验收的项目，中期评价只能选实施中的项目。"
        ),
    )


class EntriesForm(forms.Form):
    # Searched by name (web:pick-platforms): a <select> would list all 5,000 platforms.
    platforms = platform_field(
        label=_("参评平台"),
        multiple=True,
        queryset=Platform.objects.filter(status__in=["trial", "operating"]),
        required=False,
        help_text=_("输入平台名称查找，可选多个；或按类型全选。"),
    )
    kind = forms.ChoiceField(label=_("或按类型全选"), required=False, choices=[("", "—")] + Kind.choices)


class CampaignNameEnForm(forms.Form):
    """A campaign's English name, at any status (services.campaign_translate)."""

    name_en = forms.CharField(label=_("英文名称"), max_length=300, required=False)
