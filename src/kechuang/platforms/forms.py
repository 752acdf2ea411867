"""Forms of the platform pages. They only parse input; services validate rules and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.models import Unit, User
from kechuang.accounts.pickers import unit_field, user_field
from kechuang.core import uploads
from kechuang.core.limits import REASON_MAX, SEARCH_MAX, bounded_text
from kechuang.core.pickers import CityField, CityFilterField, ProvinceField, check_city
from kechuang.core.roles import Role
from kechuang.core.uploads import CheckedFileField

from .models import (
    REPORT_NUMBERS,
    Achievement,
    Kind,
    Level,
    Membership,
    Platform,
    Reorganisation,
    Status,
    YearlyReport,
)
from .permissions import platforms_visible_to
from .pickers import platform_field

DATE = forms.DateInput(attrs={"type": "date"})


class FilterForm(forms.Form):
    q = forms.CharField(label=_("检索"), required=False)
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部"))] + Kind.choices)
    level = forms.ChoiceField(label=_("级别"), required=False, choices=[("", _("全部"))] + Level.choices)
    # "live": building, trial and operating, as the dashboard's card counts them (its link lists the same)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), ("live", _("在运行（建设中、试运行、运行中）"))] + Status.choices,
    )
    province = ProvinceField(label=_("省份"), empty_label=_("全部"))
    # The cities that occur, by name (a searchable list), not a text box
    city = CityFilterField(
        label=_("城市"),
        values=lambda: Platform.objects.exclude(city="").order_by().values_list("city", flat=True).distinct(),
        widget=forms.Select(attrs={"data-search": "", "data-narrow-by": "province"}),
    )
    industry = forms.CharField(label=_("服务产业"), required=False)
    # Searched by name (web:pick-units) for those signed in; it had been a hidden field shown as a bare label.
    host = unit_field(label=_("依托单位"), queryset=Unit.objects.all(), required=False, help_text="")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is None or not user.is_authenticated:
            # the unit search is for people signed in (web:pick-units): a visitor's host comes from a link only
            self.fields["host"] = forms.ModelChoiceField(
                queryset=Unit.objects.all(), required=False, widget=forms.HiddenInput
            )
        if user is not None:
            # Only the cities of the platforms this person may see (an anonymous visitor's list named the
            # cities of platforms not yet published)
            self.fields["city"].values = lambda: (
                platforms_visible_to(user)
                .exclude(city="")
                .order_by()
                .values_list("city", flat=True)
                .distinct()
            )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = dict(self.cleaned_data)
        data["host"] = data["host"].pk if data.get("host") else ""
        # searched by the first SEARCH_MAX characters, as every list (the page says so: core.limits.search_cut_note)
        data["q"] = (data.get("q") or "").strip()[:SEARCH_MAX]
        return data


class PlatformForm(forms.ModelForm):
    host = unit_field(label=_("依托单位"), queryset=Unit.objects.all())
    province = ProvinceField(label=_("省份"), help_text=_("从列表中按名称选择；留空时取依托单位的省份。"))
    city = CityField(
        label=_("城市"), help_text=_("先选省份，再按名称选择城市（地级行政区），可输入名称查找。")
    )
    disciplines = forms.CharField(
        max_length=REASON_MAX, label=_("学科领域"), required=False, help_text=_("用顿号或逗号分隔")
    )
    industries = forms.CharField(
        max_length=REASON_MAX, label=_("服务产业"), required=False, help_text=_("用顿号或逗号分隔")
    )

    class Meta:
        formfield_callback = bounded_text()
        model = Platform
        fields = [
            "code",
            "name",
            "short_name",
            "name_en",
            "kind",
            "level",
            "co_built",
            "host",
            "province",
            "city",
            "disciplines",
            "industries",
            "mission",
            "established",
            "published",
        ]
        widgets = {"established": DATE, "mission": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].required = False
        self.fields["province"].keep(self.instance.province)  # a value from before the list stays, flagged
        self.fields["city"].keep(self.instance.city)
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields["host"].disabled = True
            self.initial["disciplines"] = "、".join(self.instance.disciplines or [])
            self.initial["industries"] = "、".join(self.instance.industries or [])
        else:
            self.fields["status"] = forms.ChoiceField(
                label=_("登记时状态"),
                choices=[(s.value, s.label) for s in (Status.BUILDING, Status.TRIAL, Status.OPERATING)],
                initial=Status.OPERATING,
            )

    def clean(self):
        data = super().clean()
        check_city(self)
        return data

    def validate_unique(self):
        # The service reports a duplicate code; the form must not touch the database twice.
        pass


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    on = forms.DateField(label=_("生效日期"), widget=DATE)
    reason = forms.CharField(
        max_length=REASON_MAX, label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class HostChangeForm(forms.Form):
    unit = unit_field(label=_("新依托单位"))
    on = forms.DateField(label=_("生效日期"), widget=DATE)
    reason = forms.CharField(max_length=REASON_MAX, label=_("理由"), required=False)


class MembershipForm(forms.Form):
    unit = unit_field(label=_("单位"), queryset=Unit.objects.all())
    role = forms.ChoiceField(label=_("角色"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)
    joined = forms.DateField(label=_("加入日期"), widget=DATE)


class MembershipEndForm(forms.Form):
    left = forms.DateField(label=_("退出日期"), widget=DATE)
    reason = forms.CharField(max_length=REASON_MAX, label=_("理由"), required=False)
    # An exit cannot be undone (the unit is no longer counted from that day): ticked first.
    confirm = forms.BooleanField(
        label=_("确认办理退出（不能撤销）"),
        error_messages={"required": _("请勾选确认：退出办理后不能撤销。")},
    )


class AchievementForm(forms.ModelForm):
    evidence_file = CheckedFileField(
        label=_("佐证材料"),
        required=False,
        allowed=uploads.EVIDENCE,
        limit_setting="KECHUANG_MAX_EVIDENCE_BYTES",
        help_text=_("PDF、Word、Excel、图片或文本。"),
    )

    class Meta:
        formfield_callback = bounded_text()
        model = Achievement
        fields = ["kind", "title", "year", "evidence", "evidence_file"]
        widgets = {"evidence": forms.Textarea(attrs={"rows": 3})}


class OperatorForm(forms.Form):
    user = user_field(
        label=_("运营人员"), queryset=User.objects.filter(groups__name=Role.OPERATOR), role=Role.OPERATOR
    )


class ImportForm(forms.Form):
    file = CheckedFileField(
        label=_("文件（.xlsx 或 .csv）"), allowed=uploads.TABLES, limit_setting="KECHUANG_MAX_IMPORT_BYTES"
    )
    commit = forms.BooleanField(
        label=_("检查无误后正式导入"),
        required=False,
        help_text=_("不勾选时只做试导入（检查每一行，不写入）。"),
    )


NUMBER_REQUIRED = _("请填写此项（没有则填 0）。")


class ReportForm(forms.ModelForm):
    class Meta:
        formfield_callback = bounded_text()
        model = YearlyReport
        fields = [*REPORT_NUMBERS, "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}


class ReportCreateForm(ReportForm):
    class Meta(ReportForm.Meta):
        fields = ["platform", "year", *REPORT_NUMBERS, "summary"]

    def __init__(self, *args, platforms=None, **kwargs):
        super().__init__(*args, **kwargs)
        if platforms is not None:
            self.fields["platform"].queryset = platforms
        # A new report's numbers start empty, not at the model's 0: a number never filled in is refused
        # (a real none is typed as 0), not saved as 0.
        for name in REPORT_NUMBERS:
            self.fields[name].initial = None
            self.fields[name].error_messages["required"] = NUMBER_REQUIRED

    def validate_unique(self):
        pass


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=REASON_MAX, label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ReorganisationForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Reorganisation.Kind.choices)
    date = forms.DateField(label=_("日期"), widget=DATE)
    # Searched by name (web:pick-platforms): a <select> would list all 5,000 platforms.
    sources = platform_field(
        label=_("原平台"),
        multiple=True,
        queryset=Platform.objects.filter(status__in=["building", "trial", "operating"]),
    )
    targets = platform_field(
        label=_("新平台"),
        multiple=True,
        required=False,
        help_text=_("输入平台名称查找；新平台须先登记；撤销时不填。"),
    )
    note = forms.CharField(
        max_length=REASON_MAX, label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class MergeAcceptForm(forms.Form):
    a = forms.IntegerField(widget=forms.HiddenInput)
    b = forms.IntegerField(widget=forms.HiddenInput)
    code = forms.CharField(
        label=_("新平台编号"),
        max_length=40,
        help_text=_("已按第一个平台的编号续编下一个空号，可修改；编号不能与已登记的平台相同。"),
    )
    name = forms.CharField(label=_("新平台名称"), max_length=200)

    def clean_code(self):
        from .selectors import next_code

        code = self.cleaned_data["code"].strip()
        holder = Platform.objects.filter(code=code).first()
        if holder is not None:
            raise forms.ValidationError(
                _("编号“%(code)s”已是平台“%(name)s”的编号；可用下一个空号 %(free)s。"),
                params={"code": code, "name": holder.local_name, "free": next_code(code)},
                code="taken",
            )
        return code

    date = forms.DateField(label=_("合并日期"), widget=DATE)
    reason = forms.CharField(max_length=REASON_MAX, label=_("理由"), required=False)


class MergeDismissForm(forms.Form):
    a = forms.IntegerField(widget=forms.HiddenInput)
    b = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(max_length=REASON_MAX, label=_("不合并的理由"))
