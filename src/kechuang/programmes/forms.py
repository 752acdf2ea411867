"""The builder's forms: a field of a form version, a stage of a programme version, a call, a migration's
stage mapping, a definition file. Nobody types a key, an id or JSON: kinds, roles, forms and conditions are
chosen from lists with their Chinese names; options, table columns and attachments are rows with add/remove."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.models import Unit
from kechuang.core import formkinds
from kechuang.core.limits import TEXT_MAX
from kechuang.core.lists import listed_lazy
from kechuang.core.roles import Role
from kechuang.core.uploads import KINDS as UPLOAD_KINDS

from . import fieldkinds, workflow
from .models import FormPurpose, FormVersion, VersionStatus


class FormCreateForm(forms.Form):
    name = forms.CharField(label=_("表单名称"), max_length=200)
    name_en = forms.CharField(
        label=_("表单名称（英文）"),
        max_length=200,
        required=False,
        help_text=_("英文页面显示；不填则显示中文名称。"),
    )
    purpose = forms.ChoiceField(label=_("用途"), choices=FormPurpose.choices)
    description = forms.CharField(
        max_length=TEXT_MAX, label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class OptionRow(formkinds.RowForm):
    text = forms.CharField(label=_("选项"), max_length=200)
    text_en = forms.CharField(label=_("选项（英文）"), max_length=200, required=False)


class OptionsField(formkinds.RowsField):
    row_form = OptionRow
    add_label = _("添加选项")


class ColumnRow(formkinds.RowForm):
    key = forms.CharField(required=False, widget=forms.HiddenInput)  # kept for stored columns, never typed
    label = forms.CharField(label=_("列名"), max_length=100)
    label_en = forms.CharField(label=_("列名（英文）"), max_length=100, required=False)
    # initial: the select's first option, which a browser sends for the untouched blank row (so that row is
    # left out, not refused for its missing name, when the field is not a table)
    kind = forms.ChoiceField(
        label=_("列类型"),
        choices=list(fieldkinds.COLUMN_KINDS.items()),
        initial=next(iter(fieldkinds.COLUMN_KINDS)),
    )


class ColumnsField(formkinds.RowsField):
    row_form = ColumnRow
    add_label = _("添加列")

    def check_rows(self, rows):
        taken = {r["key"] for r in rows if r["key"]}
        n = 1
        for r in rows:
            if not r["key"]:
                while f"c{n}" in taken:
                    n += 1
                r["key"] = f"c{n}"
                taken.add(r["key"])


FILE_KIND_CHOICES = [(k.name, listed_lazy(k.extensions)) for k in UPLOAD_KINDS.values() if k.name != "html"]


class FieldForm(forms.Form):
    """One field of a form version. Only the settings of the chosen kind are kept (`spec`)."""

    label = forms.CharField(label=_("字段名称"), max_length=200)
    label_en = forms.CharField(
        label=_("字段名称（英文）"),
        max_length=200,
        required=False,
        help_text=_("英文页面显示；不填则显示中文名称。"),
    )
    kind = forms.ChoiceField(label=_("字段类型"), choices=[("", "—"), *fieldkinds.KIND_CHOICES])
    required = forms.BooleanField(label=_("必填"), required=False)
    help = forms.CharField(label=_("填写说明"), max_length=500, required=False)
    help_en = forms.CharField(
        label=_("填写说明（英文）"),
        max_length=500,
        required=False,
        help_text=_("英文页面显示；不填则显示中文说明。"),
    )
    max_length = forms.IntegerField(
        label=_("最多字数"), required=False, min_value=1, max_value=50000, help_text=_("单行、多行文本用。")
    )
    min = forms.DecimalField(label=_("最小值"), required=False, help_text=_("数字、金额用。"))
    max = forms.DecimalField(label=_("最大值"), required=False, help_text=_("数字、金额用。"))
    unit = forms.CharField(
        label=_("计量单位"), max_length=20, required=False, help_text=_("数字用，如“吨”“个月”。")
    )
    unit_en = forms.CharField(label=_("计量单位（英文）"), max_length=20, required=False)
    options = OptionsField(label=_("选项（单选、多选用）"), required=False)
    file_kinds = forms.MultipleChoiceField(
        label=_("允许的文件类型（附件用）"),
        choices=FILE_KIND_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    max_mb = forms.IntegerField(
        label=_("大小上限（MB，附件用）"), required=False, min_value=1, max_value=fieldkinds.MAX_MB
    )
    columns = ColumnsField(label=_("表格的列（表格用）"), required=False)
    show_if = forms.ChoiceField(label=_("显示条件"), required=False, help_text=_("不选则总是显示。"))

    def __init__(self, *args, earlier=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.earlier = list(earlier)
        conditions = [
            (f"{f['key']}::{o}", gettext("“%(field)s”选“%(option)s”时") % {"field": f["label"], "option": o})
            for f in self.earlier
            if f["kind"] == "choice"
            for o in f.get("options") or []
        ]
        self.fields["show_if"].choices = [("", gettext("总是显示")), *conditions]

    @classmethod
    def initial_of(cls, spec: dict) -> dict:
        initial = {
            k: spec.get(k)
            for k in (
                "label",
                "label_en",
                "kind",
                "required",
                "help",
                "help_en",
                "max_length",
                "min",
                "max",
                "unit",
                "unit_en",
            )
        }
        english_forms = spec.get("options_en") or []
        initial["options"] = [
            {"text": o, "text_en": english_forms[i] if i < len(english_forms) else ""}
            for i, o in enumerate(spec.get("options") or [])
        ]
        initial["columns"] = list(spec.get("columns") or [])
        initial["file_kinds"] = spec.get("file_kinds") or []
        initial["max_mb"] = spec.get("max_mb")
        cond = spec.get("show_if")
        initial["show_if"] = f"{cond['field']}::{cond['equals']}" if cond else ""
        return initial

    def spec(self) -> dict:
        d = self.cleaned_data
        kind = fieldkinds.KINDS[d["kind"]]
        spec = {
            "kind": d["kind"],
            "label": d["label"],
            "label_en": d["label_en"].strip(),
            "required": d["required"],
            "help": d["help"],
            "help_en": d["help_en"].strip(),
        }
        for name in kind.settings:
            if name == "options":
                spec["options"] = [r["text"] for r in d["options"]]
                english_forms = [(r.get("text_en") or "").strip() for r in d["options"]]
                if any(english_forms):
                    spec["options_en"] = english_forms
            elif name in ("min", "max") and d[name] is not None:
                spec[name] = str(d[name])
            else:
                spec[name] = d.get(name)
        if "unit" in kind.settings:
            spec["unit_en"] = d["unit_en"].strip()
        if d["show_if"]:
            field, _sep, equals = d["show_if"].partition("::")
            spec["show_if"] = {"field": field, "equals": equals}
        return spec


class AttachmentRow(formkinds.RowForm):
    name = forms.CharField(label=_("附件名称"), max_length=100)


class AttachmentsField(formkinds.RowsField):
    row_form = AttachmentRow
    add_label = _("添加附件要求")


class StageForm(forms.Form):
    kind = forms.ChoiceField(label=_("环节类型"), choices=[("", "—"), *workflow.STAGE_KIND_CHOICES])
    name = forms.CharField(
        label=_("环节名称"), max_length=100, required=False, help_text=_("不填则用环节类型的名称。")
    )
    name_en = forms.CharField(
        label=_("环节名称（英文）"),
        max_length=100,
        required=False,
        help_text=_("英文页面显示；不填则显示中文名称。"),
    )
    days = forms.IntegerField(label=_("时长（天）"), min_value=0, max_value=3650, required=False)
    role = forms.ChoiceField(label=_("办理角色"), choices=Role.choices)
    form = forms.ModelChoiceField(
        label=_("使用的表单"),
        queryset=FormVersion.objects.none(),
        required=False,
        help_text=_("只列出已发布的表单版本。"),
    )
    unit_kinds = forms.MultipleChoiceField(
        label=_("限定申报单位类型"),
        choices=Unit.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选则不限。申报方提交时核验。"),
    )
    eligibility = forms.MultipleChoiceField(
        label=_("申报资格"),
        choices=list(workflow.ELIGIBILITY.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    max_concurrent = forms.IntegerField(
        label=_("同一负责人在研项目上限"),
        min_value=1,
        max_value=20,
        required=False,
        help_text=_("不填则不限。"),
    )
    attachments = AttachmentsField(label=_("必须上传的附件"), required=False)
    requires_publicity = forms.BooleanField(
        label=_("立项前须公示"), required=False, initial=True, help_text=_("仅“立项决定”环节用。")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].queryset = FormVersion.objects.filter(
            status=VersionStatus.PUBLISHED
        ).select_related("definition")

    @classmethod
    def initial_of(cls, stage: dict) -> dict:
        rules = stage.get("rules") or {}
        return {
            "kind": stage.get("kind"),
            "name": stage.get("name"),
            "name_en": stage.get("name_en"),
            "days": stage.get("days"),
            "role": stage.get("role"),
            "form": stage.get("form"),
            "unit_kinds": rules.get("unit_kinds") or [],
            "eligibility": rules.get("eligibility") or [],
            "max_concurrent": rules.get("max_concurrent"),
            "attachments": [{"name": a} for a in rules.get("attachments") or []],
            "requires_publicity": workflow.requires_publicity(stage),
        }

    def spec(self) -> dict:
        d = self.cleaned_data
        rules = {}
        if d["unit_kinds"]:
            rules["unit_kinds"] = d["unit_kinds"]
        if d["eligibility"]:
            rules["eligibility"] = d["eligibility"]
        if d["max_concurrent"]:
            rules["max_concurrent"] = d["max_concurrent"]
        if d["attachments"]:
            rules["attachments"] = [r["name"] for r in d["attachments"]]
        if d["kind"] == "decision":
            rules["requires_publicity"] = d["requires_publicity"]
        return {
            "kind": d["kind"],
            "name": d["name"],
            "name_en": d["name_en"].strip(),
            "days": d["days"] or 0,
            "role": d["role"],
            "form": d["form"].pk if d["form"] else None,
            "rules": rules,
        }


class NameEnForm(forms.Form):
    """The English name of a programme type or a form (not versioned: it does not change the programme)."""

    name_en = forms.CharField(label=_("英文名称"), max_length=200, required=False)


class TranslationForm(forms.Form):
    """The English forms of one stage or field of a version (published too: services.version_translate):
    one input beside each Chinese name, the Chinese shown as the input's label; empty shows the Chinese."""

    def __init__(self, *args, item: dict, stage: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.item, self.stage = item, stage
        short = {"max_length": 100 if stage else 200, "required": False}
        if stage:
            self._add(
                "name_en",
                gettext("环节名称“%(zh)s”的英文") % {"zh": item.get("name", "")},
                item.get("name_en"),
                **short,
            )
            return
        self._add(
            "label_en",
            gettext("字段名称“%(zh)s”的英文") % {"zh": item.get("label", "")},
            item.get("label_en"),
            **short,
        )
        if item.get("help"):
            self._add(
                "help_en",
                gettext("填写说明“%(zh)s”的英文") % {"zh": item["help"]},
                item.get("help_en"),
                max_length=500,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        if item.get("unit"):
            self._add(
                "unit_en",
                gettext("计量单位“%(zh)s”的英文") % {"zh": item["unit"]},
                item.get("unit_en"),
                max_length=20,
                required=False,
            )
        english_forms = item.get("options_en") or []
        for i, option in enumerate(item.get("options") or []):
            self._add(
                f"option_{i}",
                gettext("选项“%(zh)s”的英文") % {"zh": option},
                english_forms[i] if i < len(english_forms) else "",
                **short,
            )
        for i, column in enumerate(item.get("columns") or []):
            self._add(
                f"column_{i}",
                gettext("列“%(zh)s”的英文") % {"zh": column.get("label", "")},
                column.get("label_en"),
                max_length=100,
                required=False,
            )

    def _add(self, name, label, initial, **kw):
        self.fields[name] = forms.CharField(label=label, initial=initial or "", **kw)

    def texts(self) -> dict:
        d = self.cleaned_data
        if self.stage:
            return {"name_en": d["name_en"]}
        out = {"label_en": d["label_en"]}
        for name in ("help_en", "unit_en"):
            if name in d:
                out[name] = d[name]
        if self.item.get("options"):
            out["options_en"] = [d[f"option_{i}"] for i in range(len(self.item["options"]))]
        if self.item.get("columns"):
            out["columns_en"] = [d[f"column_{i}"] for i in range(len(self.item["columns"]))]
        return out


class ProgrammeCreateForm(forms.Form):
    name = forms.CharField(label=_("计划类别名称"), max_length=200)
    name_en = forms.CharField(
        label=_("计划类别名称（英文）"),
        max_length=200,
        required=False,
        help_text=_("英文页面显示；不填则显示中文名称。"),
    )
    description = forms.CharField(
        max_length=TEXT_MAX, label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CallOpenForm(forms.Form):
    title = forms.CharField(label=_("批次名称"), max_length=200)
    title_en = forms.CharField(
        label=_("英文名称"),
        max_length=300,
        required=False,
        help_text=_("可不填；英文页面显示，未填时显示中文名称。"),
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)


class ExtendForm(forms.Form):
    closes_on = forms.DateField(label=_("新的截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("延期理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


def _action_field(label, choices):
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect)


def _reason_field(label, help_text, *, required=False, max_length=2000, rows=3):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class _RecordForm(forms.Form):
    """Staff's outcome of one application's record (形式审查, 立项, 入围, 预申报遴选): an `action`, a `reason`
    that the actions in `reason_needed` require (with the message), and the confirmation where it is final.
    The service checks the same again."""

    reason_needed: dict = {}

    def clean(self):
        data = super().clean()
        message = self.reason_needed.get(data.get("action"))
        if message and not (data.get("reason") or "").strip():
            self.add_error("reason", str(message))
        return data


class FormalCheckForm(_RecordForm):
    """Staff's outcome for one formal application: pass, return for correction (a reason and a deadline)
    or fail (a reason)."""

    action = _action_field(
        _("审查结果"), [("pass", _("通过")), ("return", _("退回补正")), ("fail", _("不通过"))]
    )
    reason = _reason_field(_("审查意见"), _("退回补正、不通过时必填，申报方可以看到。"))
    correct_by = forms.DateField(
        label=_("补正截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("退回补正时必填。"),
    )
    reason_needed = {"return": _("退回补正或不通过须填写理由。"), "fail": _("退回补正或不通过须填写理由。")}

    def clean(self):
        data = super().clean()
        if data.get("action") == "return" and not data.get("correct_by"):
            self.add_error("correct_by", gettext("退回补正须填写补正截止日期。"))
        return data


class AwardDecisionForm(_RecordForm):
    """Staff's decision on one application at the decision stage: award, or reject with a reason. Final:
    confirmed."""

    action = _action_field(_("立项决定"), [("award", _("予以立项")), ("reject", _("不予立项"))])
    reason = _reason_field(_("决定理由"), _("不予立项时必填，申报方可以看到。"))
    confirm = forms.BooleanField(label=_("确认：立项决定作出后不能撤销。"))
    reason_needed = {"reject": _("不予立项须填写理由。")}


class ShortlistDecisionForm(_RecordForm):
    """Staff's choice for one application at a 答辩 after a 函评: 入围, or 不入围 with a reason the applicant
    sees. Final: confirmed."""

    action = _action_field(_("入围结果"), [("shortlist", _("入围")), ("exclude", _("不入围"))])
    reason = _reason_field(_("理由"), _("不入围时必填，申报方可以看到。"))
    confirm = forms.BooleanField(label=_("确认：入围结果确定后不能更改。"))
    reason_needed = {"exclude": _("不入围须填写理由。")}


class ShortlistSuggestForm(forms.Form):
    """A suggested cut of the 函评 ranking: the first n, and/or a mean score of at least x. Only suggests:
    staff confirm the shortlist below it."""

    top_n = forms.IntegerField(label=_("按排名取前几名"), required=False, min_value=1, max_value=1000)
    min_mean = forms.DecimalField(
        label=_("评审均分不低于"), required=False, min_value=0, max_value=1000, decimal_places=2
    )


class ShortlistBatchForm(forms.Form):
    """The shortlist confirmed at once: the applications ticked 入围, every other undecided one 未入围 with
    the reason given. Final: confirmed."""

    reason = forms.CharField(
        label=_("未入围理由"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("未勾选的申报均记为未入围，申报方可以看到此理由。"),
    )
    confirm = forms.BooleanField(label=_("确认：勾选的申报入围，其余待确定的申报不入围；确定后不能更改。"))

    def __init__(self, *args, choices=(), initial_chosen=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen"] = forms.MultipleChoiceField(
            label=_("入围的申报"),
            required=False,
            choices=list(choices),
            initial=[str(c) for c in initial_chosen],
            widget=forms.CheckboxSelectMultiple,
        )
        self.order_fields(["chosen", "reason", "confirm"])

    def clean(self):
        data = super().clean()
        chosen = set(data.get("chosen") or [])
        left_out = [c for c, _label in self.fields["chosen"].choices if str(c) not in chosen]
        if left_out and not (data.get("reason") or "").strip():
            self.add_error("reason", gettext("未入围的申报须填写理由。"))


class InvitationDecisionForm(_RecordForm):
    """Staff's decision on one pre-application at the 预申报 stage: invite to the formal application, or
    decline with a reason. Final: confirmed."""

    action = _action_field(_("遴选结果"), [("invite", _("邀请正式申报")), ("decline", _("不予邀请"))])
    reason = _reason_field(_("遴选意见"), _("不予邀请时必填，申报方可以看到。"))
    confirm = forms.BooleanField(label=_("确认：遴选结果作出后不能撤销。"))
    reason_needed = {"decline": _("不予邀请须填写理由。")}


class ObjectionForm(forms.Form):
    """A real-name objection (实名异议) against an application on a call's publicity list: a reason and,
    optionally, a file (its kinds and size are checked by the service)."""

    reason = forms.CharField(
        label=_("异议理由"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("请写明异议的事实和依据。"),
    )
    file = forms.FileField(
        label=_("证明材料"),
        required=False,
        help_text=_("可选：PDF、Word 文档或图片（PNG、JPEG），不超过 10 MB。"),
    )
    confirm = forms.BooleanField(
        label=_("确认：本异议以实名提出，提出人身份仅科技厅工作人员可见；处理前可以撤回。"),
        error_messages={"required": _("请勾选确认以实名提出异议；您填写的理由已保留。")},
    )

    def clean(self):
        data = super().clean()
        if self.errors and self.files.get("file"):  # a browser does not keep a chosen file
            self.add_error(None, gettext("所选证明材料未保存，请重新选择文件后再提交。"))
        return data


class ObjectionAnswerForm(forms.Form):
    """Staff's answer to an objection: upheld (the application is then not awarded) or dismissed, with a
    reason the objector sees. Final: confirmed."""

    action = _action_field(
        _("处理结果"), [("uphold", _("异议成立（该申报不予立项）")), ("dismiss", _("异议不成立"))]
    )
    reason = _reason_field(
        _("处理意见"),
        _("异议人可以看到；异议成立时也作为不予立项的理由告知申报方。"),
        required=True,
        max_length=5000,
        rows=4,
    )
    confirm = forms.BooleanField(label=_("确认：处理结果作出后不能更改。"))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("计划类别定义文件"), help_text=_("由本系统“导出定义”得到的 .json 文件，不超过 1 MB。")
    )


class MigrateForm(forms.Form):
    """The mapping of a call's stages (done and current) onto a new version's, each chosen by name."""

    reason = forms.CharField(label=_("迁移理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, old=(), new=(), upto="", **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", gettext("（不对应）"))] + [(s["key"], workflow.stage_name(s)) for s in new]
        new_keys = {s["key"] for s in new}
        self.stage_keys = []
        for s in old:
            name = f"map_{s['key']}"
            self.fields[name] = forms.ChoiceField(
                label=workflow.stage_name(s),
                choices=choices,
                required=s["key"] == upto,
                initial=s["key"] if s["key"] in new_keys else "",
            )
            self.stage_keys.append(s["key"])
            if s["key"] == upto:
                self.fields[name].help_text = gettext("批次当前所在环节。")
                break

    def mapping(self) -> dict:
        return {
            k: self.cleaned_data[f"map_{k}"] for k in self.stage_keys if self.cleaned_data.get(f"map_{k}")
        }


class CallNameEnForm(forms.Form):
    """A call's English name, at any stage (services.call_translate): a rendering of its title."""

    title_en = forms.CharField(label=_("英文名称"), max_length=300, required=False)
