from django import forms
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse_lazy
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.pickers import unit_field
from kechuang.core import divisions, uploads
from kechuang.core.limits import REASON_MAX, TEXT_MAX
from kechuang.core.pickers import (
    CityField,
    DisciplinePickerField,
    KindPickerField,
    PickerChoiceField,
    ProvinceField,
    check_city,
)
from kechuang.core.uploads import CheckedFileField

from .models import LEXIMIN_DEPTH_MAX, REASON_LENGTH, ExpertCredit, ExpertProfile, Review, ReviewForm, Round


class ProfileForm(forms.Form):
    title = forms.CharField(label=_("职称"), max_length=60, required=False)
    disciplines = DisciplinePickerField(label=_("学科"), required=False)
    keywords = forms.CharField(
        max_length=REASON_MAX, label=_("研究方向关键词"), required=False, help_text=_("以逗号或顿号分隔")
    )
    # The city is picked by name from the chosen province's prefecture-level divisions (core.divisions), stored
    # as the division's Chinese name (太原市) as units' and platforms' cities are: the review's same-city rule
    # compares them. The province only narrows the list; it is not stored (read back from the city).
    province = ProvinceField(label=_("所在省份"), help_text=_("先选省份，再选城市。"))
    city = CityField(label=_("所在城市"), help_text=_("按名称选择城市（地级行政区），可输入名称查找。"))
    region = forms.CharField(
        label=_("所在区县"),
        max_length=40,
        required=False,
        help_text=_("选填：城市下的区或县的名称，如“小店区”。"),
    )
    publications = forms.CharField(
        max_length=TEXT_MAX,
        label=_("代表性论文与项目"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    available = forms.BooleanField(label=_("可参加评审"), required=False)
    yearly_cap = forms.IntegerField(label=_("年度评审上限"), min_value=0, max_value=1000)
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_profile(cls, profile: ExpertProfile, data=None):
        initial = {
            "title": profile.title,
            "disciplines": list(profile.disciplines or []),
            "keywords": "、".join(profile.keywords),
            "province": divisions.city_province(profile.city) or _unit_province(profile),
            "city": profile.city,
            "region": profile.region,
            "publications": profile.publications,
            "available": profile.available,
            "yearly_cap": profile.yearly_cap,
            "version": profile.version,
        }
        form = cls(data, initial=initial)
        # Codes the profile already held stay acceptable (shown as 未知学科 when not in the table).
        form.fields["disciplines"].keep = set(profile.disciplines or [])
        # A city typed before the list that names no division stays, flagged, until it is picked again.
        form.fields["city"].keep(profile.city)
        return form

    def clean(self):
        data = super().clean()
        check_city(self)
        return data

    def profile_fields(self) -> dict:
        """What the service stores (the province only narrows the city's list)."""
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "province")}


def _unit_province(profile: ExpertProfile) -> str:
    """The province of the expert's unit, to start the list there when the profile has no city yet."""
    unit = getattr(profile.user, "unit", None)
    code = getattr(unit, "province", "") or ""
    return code if divisions.get(code) else ""


# The side forms choose a unit from the unit library by name (accounts.pickers.unit_field), never as typed
# text: the conflict rules compare units, and a name typed a little differently matched none.


class PastUnitForm(forms.Form):
    # a past unit may be one the library does not hold (a former employer elsewhere): added by its full name,
    # waiting for staff verification (accounts.services.unit_propose), never a typed code
    unit = unit_field(label=_("单位名称"), allow_new=True)
    start = forms.DateField(label=_("起"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(
        label=_("止（在职留空）"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("结束日期不能早于开始日期。"))
        return data


class CollaboratorForm(forms.Form):
    name = forms.CharField(label=_("合作者姓名"), max_length=100)
    unit = unit_field(label=_("合作者单位"), required=False)

    def collaborator_fields(self) -> dict:
        """What the service stores: the collaborator's unit by its name."""
        unit = self.cleaned_data.get("unit")
        return {"name": self.cleaned_data["name"], "unit_name": unit.name if unit else ""}


class DeclaredConflictForm(forms.Form):
    unit = unit_field(label=_("回避单位"), required=False)
    person_name = forms.CharField(label=_("回避人员"), max_length=100, required=False)
    reason = forms.CharField(label=_("理由"), max_length=REASON_LENGTH)

    def clean(self):
        data = super().clean()
        if not data.get("unit") and not data.get("person_name") and "unit" not in self.errors:
            raise forms.ValidationError(_("请填写回避的单位或人员。"))
        return data


class CreditForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=ExpertCredit.Kind.choices)
    points = forms.IntegerField(label=_("分值"), min_value=-10, max_value=10, initial=-1)
    note = forms.CharField(label=_("说明"), max_length=REASON_LENGTH)


class ImportForm(forms.Form):
    file = CheckedFileField(
        allowed=uploads.TABLES,
        limit_setting="KECHUANG_MAX_IMPORT_BYTES",
        label=_("Excel 或 CSV 文件"),
        help_text=_(
            "专家按邮箱（其次联系电话，再次姓名和单位）"
            "与已有用户对应；新专家须填写邮箱。学科写名称（如“机械工程”“材料科学/复合材料”），多个用逗号分隔。"
            "城市写地级行政区名称（如“太原”“太原市”）；省份可不填，同名城市（如泰州、台州）须填写"
        ),
    )
    commit = forms.BooleanField(label=_("确认导入（不勾选则只检查）"), required=False)


def leximin_depth_field():
    """The fair mode's levels (Round.leximin_depth), with the reasons a refused value gets, in words."""
    return forms.IntegerField(
        label=Round._meta.get_field("leximin_depth").verbose_name,
        help_text=Round._meta.get_field("leximin_depth").help_text,
        min_value=1,
        max_value=LEXIMIN_DEPTH_MAX,
        initial=1,
        error_messages={
            "min_value": _("公平优先层数至少为 1。"),
            "max_value": _("公平优先层数最多为 %(limit_value)s。"),
            "invalid": _("公平优先层数须为 1 到 20 之间的整数。"),
            "required": _("请填写公平优先层数（不确定时填 1）。"),
        },
    )


class RoundForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=200)
    # Picked by name as one types: there is a scoring form per challenge (1,457 at national size), see core.fields.
    form = PickerChoiceField(
        label=_("评分表"),
        queryset=ReviewForm.objects.all(),
        url=reverse_lazy("web:pick-review-forms"),
        name_field="name",
        placeholder=_("输入评分表名称查找"),
    )
    subject_type = forms.ChoiceField(label=_("评审对象类型"))
    # Searched by name among the objects of the type chosen above (web:pick-objects?kind=...): nobody types
    # an id (issue #13.1); the form accepts only objects of that type the person may see.
    subjects = KindPickerField(
        label=_("评审对象"),
        url=reverse_lazy("web:pick-objects"),
        kind_field="subject_type",
        multiple=True,
        required=False,
        help_text=_("先选评审对象类型，再输入名称查找；不选则为该类型的全部对象。"),
    )
    k = forms.IntegerField(label=_("每项专家数"), min_value=1, max_value=20, initial=3)
    min_load = forms.IntegerField(label=_("专家最少评审数"), min_value=0, initial=0)
    max_load = forms.IntegerField(label=_("专家最多评审数"), min_value=1, initial=6)
    mode = forms.ChoiceField(label=_("分配方式"), choices=Round.Mode.choices)
    conflict_years = forms.IntegerField(label=_("同单位回避年限"), min_value=0, max_value=30, initial=5)
    same_city_rule = forms.BooleanField(label=_("同城回避"), required=False)
    seed = forms.IntegerField(label=_("随机种子（随机抽取时；留空自动生成并记录）"), required=False)
    leximin_depth = leximin_depth_field()

    def __init__(self, *args, type_choices=(), user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject_type"].choices = type_choices
        raw = self.data.get(self.add_prefix("subject_type")) or self.initial.get("subject_type") or ""
        allowed = {str(pk) for pk, _label in type_choices}
        ct = ContentType.objects.filter(pk=int(raw)).first() if str(raw) in allowed else None
        self.fields["subjects"].bind(user=user, content_type=ct)

    def clean(self):
        data = super().clean()
        if (
            data.get("min_load") is not None
            and data.get("max_load") is not None
            and data["min_load"] > data["max_load"]
        ):
            raise forms.ValidationError(_("最少评审数不能大于最多评审数。"))
        return data


class RoundSettingsForm(forms.Form):
    """How a round that can still be assigned assigns: the mode and the fair mode's levels."""

    mode = forms.ChoiceField(label=_("分配方式"), choices=Round.Mode.choices)
    leximin_depth = leximin_depth_field()


# a manual assignment's or a swap's reason (the API's ManualAssignmentSerializer the same)
ASSIGNMENT_REASON_MAX = REASON_LENGTH


class SwapForm(forms.Form):
    expert = forms.IntegerField(label=_("专家"), widget=forms.Select)
    reason = forms.CharField(label=_("理由"), max_length=ASSIGNMENT_REASON_MAX)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=REASON_LENGTH)


class DeclineForm(forms.Form):
    """An expert's declaration of a conflict of interest: why, and a box saying they know it is final (the
    review is closed to them and staff assign someone else)."""

    reason = forms.CharField(label=_("回避理由"), max_length=REASON_LENGTH)
    confirm = forms.BooleanField(
        label=_("确认：声明回避后不能再评审此项，工作人员将另行安排专家。"),
        error_messages={"required": _("请勾选确认后再声明回避。")},
    )


def _criterion_label(c) -> str:
    """A criterion as the expert reads it: its name, weight (0.3, not 0.3000) and full marks, in their words."""
    weight = c.weight.normalize()
    if weight == weight.to_integral():
        weight = weight.quantize(1)  # 10, not 1E+1
    return str(_("%(name)s（权重 %(weight)s，满分 %(max)s）")) % {
        "name": c.name,
        "weight": number_format(weight),
        "max": c.max_score,
    }


class ScoreForm(forms.Form):
    comments = forms.CharField(
        max_length=TEXT_MAX,
        label=_("评审意见（仅工作人员可见）"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    opinion = forms.CharField(
        max_length=TEXT_MAX,
        label=_("可向申报方公开的意见（匿名）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    recommendation = forms.ChoiceField(
        label=_("推荐意见"), choices=[("", "—"), *Review.Recommendation.choices], required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"c_{c.code}"] = forms.DecimalField(
                label=_criterion_label(c),
                min_value=0,
                max_value=c.max_score,
                decimal_places=2,
                required=False,
                help_text=c.anchors,
            )
        # Scores first, then the recommendation and the two texts: the order an expert works in.
        self.order_fields([f"c_{c.code}" for c in self.criteria] + ["recommendation", "comments", "opinion"])


class CallReviewForm(forms.Form):
    """Open the expert review of a programme call's 函评 or 会评/答辩 stage (issue #18)."""

    k = forms.IntegerField(label=_("每项专家数"), min_value=1, max_value=20, initial=3)
    max_load = forms.IntegerField(label=_("专家最多评审数"), min_value=1, max_value=200, initial=6)
    mode = forms.ChoiceField(label=_("分配方式"), choices=Round.Mode.choices, initial=Round.Mode.OPTIMAL)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .pickers import expert_field

        self.fields["experts"] = expert_field(
            label=_("参加评审的专家"),
            multiple=True,
            required=False,
            help_text=_("留空则从专家库全部已入库、可参加评审的专家中匹配；回避关系和科研诚信限制自动排除。"),
        )


class ReleaseForm(forms.Form):
    reason = forms.CharField(
        label=_("免除理由"), max_length=REASON_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm = forms.BooleanField(label=_("确认免除：该专家不再评审此申报，其评分不计入结果。"))
