from django import forms
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kechuang.core import uploads
from kechuang.core.limits import REASON_MAX, bounded_text
from kechuang.core.pickers import KindPickerField
from kechuang.core.uploads import CheckedFileField

from . import coverage as cov
from .models import Chain, ChainLink, Coverage, Technology, TrlRecord

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ChainForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        formfield_callback = bounded_text(internal_note=REASON_MAX)
        model = Chain
        fields = ["name", "name_en", "description", "description_en", "internal_note", "published", "order"]


class LinkForm(forms.ModelForm):
    class Meta:
        model = ChainLink
        fields = ["stage", "name", "name_en", "order"]


class TechnologyForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        formfield_callback = bounded_text(internal_note=REASON_MAX)
        model = Technology
        fields = [
            "link",
            "name",
            "name_en",
            "description",
            "internal_note",
            "is_bottleneck",
            "substitution",
            "level",
            "local_supply_pct",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["link"].queryset = ChainLink.objects.select_related("chain")


class TrlForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=TrlRecord.Kind.choices)
    value = forms.IntegerField(label=_("TRL"), min_value=1, max_value=9)
    as_of = forms.DateField(label=_("日期"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(
        label=_("说明"), max_length=TrlRecord._meta.get_field("note").max_length, required=False
    )


class CoverageForm(forms.Form):
    kind = forms.ChoiceField(label=_("覆盖类型"), choices=Coverage.Kind.choices)
    content_type = forms.ModelChoiceField(label=_("对象类型"), queryset=ContentType.objects.none())
    # Searched by name among the objects of the type chosen above (web:pick-objects?kind=...): nobody types
    # an id (issue #13.1); the form accepts only an object of that type the person may see.
    target = KindPickerField(
        label=_("对象"),
        url=reverse_lazy("web:pick-objects"),
        kind_field="content_type",
        help_text=_("先选对象类型，再输入名称查找。"),
    )
    since = forms.DateField(label=_("起始日期"), widget=DATE, initial=timezone.localdate)
    until = forms.DateField(label=_("截止日期"), widget=DATE, required=False)
    note = forms.CharField(
        max_length=REASON_MAX, label=_("内部备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        types = {ct.pk: ct for ct in cov.coverable_content_types()}
        self.fields["content_type"].queryset = ContentType.objects.filter(pk__in=types)
        self.fields["content_type"].label_from_instance = lambda ct: (
            str(ct.model_class()._meta.verbose_name) if ct.model_class() else ct.name
        )
        raw = str(self.data.get(self.add_prefix("content_type")) or "")
        ct = types.get(int(raw)) if raw.isdecimal() and len(raw) < 10 else None
        self.fields["target"].bind(user=user, content_type=ct)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("截止日期不能早于起始日期。"))
        return data


class CoverageEndForm(forms.Form):
    until = forms.DateField(label=_("截止日期"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label=_("理由"), max_length=REASON_MAX, required=False)  # the audit event's


class TechnologyDeleteForm(forms.Form):
    """Deleting a technology entered by mistake (with its TRL history and coverage): why, and a tick saying the
    person knows it cannot be undone (the audit trail keeps what was removed)."""

    reason = forms.CharField(
        label=_("删除理由"), max_length=REASON_MAX, error_messages={"required": _("删除须填写理由。")}
    )
    confirm = forms.BooleanField(
        label=_("确认删除此技术及其 TRL 历史和覆盖关系（不能恢复）"),
        error_messages={"required": _("请勾选确认：删除后不能恢复。")},
    )


class GapTopicForm(forms.Form):
    title = forms.CharField(label=_("课题名称"), max_length=200, required=False)


class ImportForm(forms.Form):
    file = CheckedFileField(
        label=_("文件（.xlsx 或 .csv）"), allowed=uploads.TABLES, limit_setting="KECHUANG_MAX_IMPORT_BYTES"
    )
    commit = forms.BooleanField(label=_("正式导入"), required=False, help_text=_("不勾选时只检查，不写入。"))
