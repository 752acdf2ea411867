from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.core.exceptions import ApplicationError
from kechuang.core.language import local_name
from kechuang.indicators.models import Region

from .models import STEP_REASON_MAX, Fact
from .services import report_read


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


def region_choices(current: str = "") -> list[tuple[str, str]]:
    """The registered regions by name (the report's facts are recorded against one; an unknown name could not
    be), in the reader's language; a document's earlier free-text region stays choosable so editing keeps it."""
    rows = list(Region.objects.order_by("region_set", "name").values_list("name", "name_en"))
    choices = [("", _("（暂不指定）"))]
    if current and current not in {name for name, _en in rows}:
        choices.append((current, current))
    return choices + [(name, local_name(name, name_en)) for name, name_en in rows]


REGION_HELP = _("从已登记的地区中选择，指标入库时需要；列表里没有的地区，请先在指标的“地区”列表中新增。")


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("报告文件"),
        help_text=_("可多选：.txt（UTF-8、GB18030、Big5 均可）、.html、.docx、带文字层的 .pdf。"),
    )
    year = forms.IntegerField(label=_("报告年份"), required=False, min_value=1949, max_value=2100)
    region = forms.ChoiceField(label=_("地区"), required=False, help_text=REGION_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()  # one query, not one each time the list is read

    def clean_files(self):
        """Each file through the platform's upload check (size, declared type, content)."""
        files = self.cleaned_data["files"]
        errors = []
        for f in files:
            try:
                report_read(f, field="files")
            except ApplicationError as exc:
                errors.append(forms.ValidationError(str(exc.message), code=exc.code))
        if errors:
            raise forms.ValidationError(errors)
        return files


def _value_as_written(form) -> None:
    """A fact form shows the value as written, exactly (23, 420000000, 0.35), not the column's 23.0000; a refused
    form shows what was typed, as a bound form does."""
    value = form.initial.get("value")
    if isinstance(value, Decimal):
        form.initial["value"] = format(value.normalize(), "f")


class FactEditForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    # picked from the registered regions, never typed: empty is the report's own region
    place = forms.ChoiceField(
        label=_("所属地区"),
        required=False,
        help_text=_("事实所说的是另一地区（如另一省份或其城市）时选择该地区；留空为本报告地区。"),
    )
    reason = forms.CharField(label=_("修改说明"), required=False, max_length=STEP_REASON_MAX)

    class Meta:
        model = Fact
        fields = ["subject", "predicate", "value", "unit", "qualifier", "period", "place"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.place if self.instance and self.instance.pk else ""
        choices = region_choices(current)
        choices[0] = ("", _("（本报告地区）"))
        self.fields["place"].choices = choices
        if self.instance and self.instance.uncertain:  # read across an uncertain span: corrected, or checked
            self.fields["checked"] = forms.BooleanField(
                label=_("我已对照原文核对，数值、单位和期间无误"),
                required=False,
                help_text=_("这条事实读自存疑处：更正读自存疑处的部分，或勾选此项，才能采纳。"),
            )
            if _redacted_only(self.instance):  # after a redaction or a gap (factflag2)
                self.fields["checked"].label = REDACTED_CHECK_LABEL
                self.fields["checked"].help_text = _(
                    "原句中数值之前有隐去或缺失的内容：更正地区、期间或对象，或勾选此项，才能采纳。"
                )
        _value_as_written(self)


REDACTED_CHECK_LABEL = _("我已对照原文核对，地区、期间和对象无误")


def _redacted_only(fact) -> bool:
    """Whether a flagged fact is flagged only for a redaction or a gap before it (no part read across an
    uncertain span)."""
    return bool(fact and fact.redacted_near and not fact.uncertain_parts)


class FactCheckForm(forms.ModelForm):
    """Accepting one fact read across an uncertain span: its figure as read, to confirm against the original
    (the box) or to correct (a correction is kept and audited as one)."""

    CHECKED_FIELDS = ("value", "unit", "period")

    version = forms.IntegerField(widget=forms.HiddenInput)
    checked = forms.BooleanField(
        label=_("我已对照原文核对，数值、单位和期间无误"),
        required=False,
        help_text=_("数值读自修复时无法确定的文字；如有误，请直接在上面更正，更正后采纳。"),
    )
    reason = forms.CharField(label=_("说明"), required=False, max_length=STEP_REASON_MAX)

    class Meta:
        model = Fact
        fields = ["value", "unit", "period"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # what was read, to tell a correction from a confirmation (validation writes the input into instance)
        self.read = {name: getattr(self.instance, name) for name in self.CHECKED_FIELDS}
        if _redacted_only(self.instance):  # after a redaction or a gap (factflag2)
            self.fields["checked"].label = REDACTED_CHECK_LABEL
            self.fields["checked"].help_text = _(
                "原句中数值之前有隐去或缺失的内容，地区、期间或对象可能随之丢失；期间有误请在上面更正，"
                "地区或对象有误请在修改页更正。"
            )
        _value_as_written(self)

    def changed(self, name: str) -> bool:
        """Whether the reviewer corrected `name` (23 and 23.0000 are the same value)."""
        old, new = self.read.get(name), self.cleaned_data.get(name)
        if name == "value":
            if old is None or new is None:
                return (old is None) != (new is None)
            return Decimal(old) != Decimal(new)
        return (old or "") != (new or "")


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), required=False, max_length=STEP_REASON_MAX)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=300)
    year = forms.IntegerField(label=_("报告年份"), required=False, min_value=1949, max_value=2100)
    region = forms.ChoiceField(label=_("地区"), required=False, help_text=REGION_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(self.initial.get("region") or "")
