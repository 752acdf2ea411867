"""Forms of the challenge pages. They parse and validate input; the services decide and write."""

import json
from decimal import Decimal

from django import forms
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.models import Unit
from kechuang.accounts.pickers import unit_field
from kechuang.core import uploads
from kechuang.core.formkinds import (
    CriteriaField,
    MilestoneDatesField,
    MilestonesField,
    RowForm,
    RowsField,
    TargetIndicatorRow,
    TargetIndicatorsField,
    TeamField,
    TeamMemberRow,
)
from kechuang.core.limits import REASON_MAX, TEXT_MAX, bounded_text
from kechuang.core.lists import listed
from kechuang.core.pickers import DisciplinePickerField, PickerChoiceField
from kechuang.core.uploads import CheckedFileField
from kechuang.programmes import fieldkinds

from . import industries, programme
from .models import (
    LEAD_ROLE_LABEL,
    Acceptance,
    Application,
    ApplicationMember,
    ApplicationPartner,
    Challenge,
    ChallengeIndicator,
    ChangeRequest,
    MidtermCheck,
    Need,
    PerformanceEvaluation,
    Result,
    Topic,
    Transfer,
)
from .services.applications import is_leader_row, leader_in_team_message
from .templatetags.challenges_tags import num


class IndustryPicked:
    """The industry as a choice from the list (challenges.industries), named in the reader's language; a value
    stored before the list that no entry holds stays offered, as typed, until another is picked."""

    def _industry_choice(self):
        current = self.instance.industry if self.instance and self.instance.pk else ""
        field = self.fields["industry"]
        self.fields["industry"] = forms.ChoiceField(
            label=field.label,
            required=False,
            choices=industries.choices_with(current),
            help_text=field.help_text,
        )


class NeedForm(IndustryPicked, forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._industry_choice()

    class Meta:
        formfield_callback = bounded_text()
        model = Need
        fields = ["title", "problem", "indicators_wanted", "cofund_budget", "industry", "urgency"]


class TopicForm(IndustryPicked, forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._industry_choice()

    class Meta:
        formfield_callback = bounded_text()
        model = Topic
        fields = ["title", "description", "industry", "track", "trl_baseline", "trl_target"]


class ApplicationTeamRow(TeamMemberRow):
    """A team member's row, its name and title held at the columns an application's members are kept in (the
    shared row's 100 and 60 are for a call's form, kept as JSON)."""

    name = forms.CharField(label=_("姓名"), max_length=ApplicationMember._meta.get_field("name").max_length)
    title = forms.CharField(
        label=_("职称"), max_length=ApplicationMember._meta.get_field("title").max_length, required=False
    )
    duty = forms.CharField(
        label=_("分工"), max_length=ApplicationMember._meta.get_field("duty").max_length, required=False
    )


class ApplicationTeamField(TeamField):
    row_form = ApplicationTeamRow


class ChallengeIndicatorRow(TargetIndicatorRow):
    """A challenge's target indicator: the shared row (name, unit, baseline, target, direction) and its optional
    English name and unit, shown on English pages and copied into the contract at award."""

    # the shared row's name and unit, held at the columns they are kept in (its 200 and 40 are for a call's form)
    name = forms.CharField(
        label=_("指标名称"), max_length=ChallengeIndicator._meta.get_field("name").max_length
    )
    unit = forms.CharField(
        label=_("计量单位"), max_length=ChallengeIndicator._meta.get_field("unit").max_length, required=False
    )
    name_en = forms.CharField(
        label=_("指标名称（英文，可选）"),
        max_length=200,
        required=False,
        help_text=_("英文页面显示；留空则显示中文。"),
    )

    unit_en = forms.CharField(
        label=_("计量单位（英文，可选）"),
        max_length=80,
        required=False,
        help_text=_("英文页面显示；留空则用常用单位的英文（如“英寸”为 inches），没有时显示中文。"),
    )

    def to_row(self) -> dict:
        d = self.cleaned_data
        return {
            **super().to_row(),
            "name_en": (d.get("name_en") or "").strip(),
            "unit_en": (d.get("unit_en") or "").strip(),
        }


class ChallengeIndicatorsField(TargetIndicatorsField):
    """A challenge's target indicators. Rows: those of core.formkinds.TargetIndicatorsField, "name_en" and
    "unit_en"."""

    row_form = ChallengeIndicatorRow


class ChallengeForm(forms.ModelForm):
    # Typed by name (or id): <select>s would list every topic (2,400) and unit (50,000) at national size.
    topic = PickerChoiceField(
        label=_("课题"),
        queryset=Topic.objects.all(),
        url=reverse_lazy("web:pick-topics"),
        name_field="title",
        placeholder=_("输入课题名称查找"),
    )
    cofunder = unit_field(label=_("联合出资单位"), queryset=Unit.objects.all(), required=False)
    # Rows with add/remove, a typed field per column (core.formkinds), not pipe-separated lines.
    indicators_text = ChallengeIndicatorsField(label=_("目标指标"))
    criteria_text = CriteriaField(
        label=_("评审指标及权重"),
        help_text=_("权重之和为 1。"),
    )
    unit_kinds = forms.MultipleChoiceField(
        label=_("允许揭榜的单位类型"),
        choices=Unit.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateTimeField(
        label=_("揭榜截止时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    class Meta:
        formfield_callback = bounded_text()
        model = Challenge
        fields = [
            "code",
            "year",
            "topic",
            "title",
            "title_en",
            "problem",
            "goal",
            "budget_ceiling",
            "cofunder",
            "cofund_share",
            "ip_terms",
            "duration_months",
            "eligibility",
            "unit_kinds",
            "max_active_per_leader",
            "deadline",
            "max_winners",
            "downselect_on",
        ]
        widgets = {"downselect_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        inst = self.instance
        if inst.pk:
            self.initial["indicators_text"] = [
                {
                    "name": i.name,
                    "name_en": i.name_en,
                    "unit": i.unit,
                    "unit_en": i.unit_en,
                    "baseline": i.baseline,
                    "target": i.target,
                    "higher_is_better": i.higher_is_better,
                }
                for i in inst.indicators.all()
            ]
            self.initial["criteria_text"] = [
                {"code": c["code"], "name": c["name"], "name_en": c.get("name_en", ""), "weight": c["weight"]}
                for c in inst.criteria or []
            ]
        elif "criteria_text" not in self.initial:
            # A new list starts from the review form of the 揭榜挂帅 version it will pin (issue #18).
            self.initial["criteria_text"] = programme.criteria_defaults(programme.current_version())

    def clean_code(self):
        """A code another challenge has is refused naming that challenge and the next free code of the year
        (people38), not with the model's bare “具有 榜单编号 的 榜单 已存在”."""
        from .selectors import next_challenge_code

        code = (self.cleaned_data.get("code") or "").strip()
        other = Challenge.objects.filter(code=code).exclude(pk=self.instance.pk).first()
        if other is not None:
            year = self.data.get(self.add_prefix("year")) or ""
            year = int(year) if str(year).isdecimal() else other.year
            raise forms.ValidationError(
                _("编号 %(code)s 已是榜单“%(title)s”的编号；下一个未用的编号是 %(next)s。"),
                params={"code": code, "title": other.local_title, "next": next_challenge_code(year)},
            )
        return code


class PartnerRow(RowForm):
    """One partner unit of a joint application (联合揭榜): picked by name, with its role and share."""

    unit = unit_field(label=_("合作单位"), help_text="")
    role = forms.ChoiceField(
        label=_("角色"),
        choices=ApplicationPartner.Role.choices,
        initial=ApplicationPartner.Role.PARTICIPANT,
        required=False,  # not sent: a participant (参与单位)
    )
    duty = forms.CharField(label=_("承担任务"), max_length=200, required=False)
    budget = forms.DecimalField(
        label=_("承担经费（万元）"), min_value=0, max_digits=14, decimal_places=2, required=False
    )

    def to_row(self) -> dict:
        d = self.cleaned_data
        return {
            "unit": d["unit"],
            "role": d["role"] or ApplicationPartner.Role.PARTICIPANT,
            "duty": d["duty"],
            "budget": d["budget"] or Decimal(0),
        }


class PartnersField(RowsField):
    """The partner units of a joint application, in order. Rows: {"unit": Unit, "role", "duty", "budget"}."""

    row_form = PartnerRow
    add_label = _("添加合作单位")

    def initial_row(self, row: dict) -> dict:
        row = dict(row)
        if hasattr(row.get("unit"), "pk"):
            row["unit"] = row["unit"].pk
        return row

    def check_rows(self, rows):
        units = [r["unit"].pk for r in rows]
        if len(set(units)) != len(units):
            raise forms.ValidationError(_("同一合作单位只填一次。"))


class ApplicationForm(forms.Form):
    title = forms.CharField(label=_("项目名称"), max_length=200)
    plan = forms.CharField(max_length=TEXT_MAX, label=_("技术方案"), widget=forms.Textarea(attrs={"rows": 8}))
    keywords = forms.CharField(
        max_length=Application._meta.get_field("keywords").max_length, label=_("关键词"), required=False
    )
    disciplines = DisciplinePickerField(label=_("学科"), required=False)
    budget_requested = forms.DecimalField(label=_("申请财政经费（万元）"), min_value=0, decimal_places=2)
    budget_self = forms.DecimalField(label=_("自筹经费（万元）"), min_value=0, decimal_places=2, initial=0)
    avoid_names = forms.CharField(
        max_length=Application._meta.get_field("avoid_names").max_length,
        label=_("申请回避专家"),
        required=False,
        help_text=_("姓名，用逗号或顿号分隔。"),
    )
    avoid_units = unit_field(label=_("申请回避单位"), multiple=True, required=False)
    # Joint application (联合揭榜): the applicant unit leads; partners are picked by name, a row each.
    partners_text = PartnersField(
        label=_("合作单位（联合揭榜）"),
        required=False,
        help_text=_("本单位为牵头单位。联合揭榜时逐行添加合作单位；团队成员可来自任一单位。"),
    )
    # Rows with add/remove (core.formkinds); each milestone has a column per indicator of the call.
    team_text = ApplicationTeamField(label=_("团队成员"), required=False)
    milestones_text = MilestonesField(label=_("里程碑"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args, challenge=None, lead_unit=None, leader=None, partners=(), extra_specs=(), **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.lead_unit = lead_unit
        self.leader = leader  # the 挂帅人, listed first already: not a team member again
        # The fields staff added to the application form version (issue #18), asked after the code's own,
        # named by their stable keys; a field shown on a condition is dropped when its condition is not met.
        self.extra_specs = list(extra_specs)
        sub = fieldkinds.build_form(self.extra_specs, data=self.data if self.is_bound else None)
        self.extra_hidden = sub.hidden_keys
        for key, field in sub.fields.items():
            if key not in self.fields:
                self.fields[key] = field
        # Codes the application already held stay acceptable (shown as 未知学科 when not in the table).
        self.fields["disciplines"].keep = set(DisciplinePickerField._values(self.initial.get("disciplines")))
        if challenge is not None:
            indicators = list(challenge.indicators.all())
            # each stage-target column with its indicator's unit, as the challenge states it (people34: a
            # target without its unit, "Fermentation expression level stage target")
            self.fields["milestones_text"].set_indicators(
                [i.name for i in indicators],
                labels={
                    i.name: _("%(name)s（%(unit)s）") % {"name": i.local_name, "unit": i.local_unit}
                    if i.local_unit
                    else i.local_name
                    for i in indicators
                },
            )
        # A member belongs to the lead unit or a partner: the saved partners and those posted with the form.
        units = [(p.unit_id, p.unit) for p in partners]
        if self.is_bound:
            posted = [
                v
                for k, v in self.data.items()
                if k.startswith("partners_text-") and k.endswith("-unit") and str(v).isdecimal()
            ]
            known = {uid for uid, _u in units}
            wanted = [int(v) for v in posted if len(v) < 19]
            for unit in Unit.objects.filter(pk__in=wanted) if wanted else ():
                if unit.pk not in known:
                    units.append((unit.pk, unit))
        # "大同高速飞车科技有限公司（牵头单位）"; in English "… (Lead unit)", not the Chinese brackets (walked, session 20)
        lead = (
            str(_("%(unit)s（%(role)s）") % {"unit": lead_unit, "role": LEAD_ROLE_LABEL})
            if lead_unit is not None
            else str(LEAD_ROLE_LABEL)
        )
        self.fields["team_text"].set_units(
            [(None, lead)] + [(uid, str(u)) for uid, u in units], source="partners_text"
        )

    def extra_values(self) -> dict:
        """The staff-added fields' values, JSON-safe, by key (file fields: see extra_files)."""
        return {
            s["key"]: fieldkinds.to_json(self.cleaned_data.get(s["key"]))
            for s in self.extra_specs
            if s["key"] not in self.extra_hidden and s["key"] in self.cleaned_data and s["kind"] != "file"
        }

    def extra_files(self) -> dict:
        """The staff-added file fields that change: {key: the new upload, or None to clear it (cleared, or
        hidden by its condition)}. A field left as it was is not listed."""
        out = {}
        for s in self.extra_specs:
            if s["kind"] != "file":
                continue
            value = self.cleaned_data.get(s["key"])
            if s["key"] in self.extra_hidden or value is False:
                out[s["key"]] = None
            elif hasattr(value, "read"):
                out[s["key"]] = value
        return out

    def clean(self):
        data = super().clean()
        for key in self.extra_hidden:
            data.pop(key, None)
            self.errors.pop(key, None)
        partners = data.get("partners_text") or []
        if self.lead_unit is not None and any(r["unit"].pk == self.lead_unit.pk for r in partners):
            self.add_error(
                "partners_text",
                _("“%(unit)s”是牵头单位（本单位），不必列为合作单位。") % {"unit": self.lead_unit},
            )
        lead_id = self.lead_unit.pk if self.lead_unit is not None else None
        if any(is_leader_row(self.leader, m, m.get("unit_id"), lead_id) for m in data.get("team_text") or []):
            self.add_error("team_text", leader_in_team_message(self.leader))
        if "partners_text" in data and "team_text" in data:
            chosen = {r["unit"].pk for r in partners}
            strays = [m["name"] for m in data["team_text"] if m.get("unit_id") and m["unit_id"] not in chosen]
            if strays:
                self.add_error(
                    "team_text",
                    _("团队成员%(names)s所属的单位已不在合作单位中，请重新选择所属单位。")
                    % {"names": listed(f"“{n}”" for n in strays)},
                )
        return data

    def clean_disciplines(self):
        """The chosen codes as the application stores them: "430.25, 460.30" (at most 100 characters)."""
        text = ", ".join(self.cleaned_data["disciplines"])
        if len(text) > Application._meta.get_field("disciplines").max_length:
            raise forms.ValidationError(_("学科选得太多了：请最多选择 10 个。"))
        return text

    @staticmethod
    def initial_for(app) -> dict:
        return {
            "title": app.title,
            "plan": app.plan,
            "keywords": app.keywords,
            "disciplines": app.disciplines,
            "budget_requested": app.budget_requested,
            "budget_self": app.budget_self,
            "avoid_names": app.avoid_names,
            "avoid_units": list(app.avoid_units.all()),
            "partners_text": [
                {"unit": p.unit_id, "role": p.role, "duty": p.duty, "budget": p.budget}
                for p in app.partners.all()
            ],
            "team_text": [
                {
                    "name": m.name,
                    "unit_id": None if m.unit_id == app.unit_id else m.unit_id,
                    "title": m.title,
                    "duty": m.duty,
                }
                for m in app.members.all()
            ],
            "milestones_text": [
                {"title": m.title, "month": m.month, "tranche": m.tranche, "targets": m.targets or {}}
                for m in app.milestones.all()
            ],
            "version": app.version,
            **{
                k: StoredFile.of(v) if isinstance(v, dict) and "attachment" in v else v
                for k, v in (app.extra or {}).items()
            },
        }


class StoredFile:
    """A file field's stored answer as the file input's initial value: its name, and its download link."""

    def __init__(self, name: str, url: str):
        self.name, self.url = name, url

    def __str__(self):
        return self.name

    def __bool__(self):
        return True

    @classmethod
    def of(cls, value: dict) -> "StoredFile":
        return cls(
            value.get("name", ""), reverse("challenges:attachment-download", args=[value["attachment"]])
        )


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类别"),
        choices=[
            ("plan", _("技术方案书")),
            ("budget", _("经费预算表")),
            ("proof", _("证明材料")),
            ("other", _("其他")),
        ],
    )
    file = CheckedFileField(label=_("文件（PDF、DOCX、XLSX）"), allowed=uploads.DOCUMENTS)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=REASON_MAX, label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ObjectionForm(forms.Form):
    application = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        max_length=REASON_MAX, label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 3})
    )
    contact = forms.CharField(max_length=100, label=_("联系方式"), required=False)


class DecisionForm(forms.Form):
    days = forms.IntegerField(label=_("公示天数"), min_value=5, initial=7)
    notice = forms.CharField(
        max_length=REASON_MAX, label=_("公示说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class StaffFieldsMixin:
    """The staff-added fields of a report form version (issue #18), asked after the code's own, named by
    their stable keys (challenges.programme.report_extra_fields); a field shown on a condition is dropped
    when its condition is not met. Call add_staff_fields(specs) at the end of __init__."""

    extra_specs: list = []
    extra_hidden: set = set()

    def add_staff_fields(self, specs):
        self.extra_specs = list(specs)
        sub = fieldkinds.build_form(self.extra_specs, data=self.data if self.is_bound else None)
        self.extra_hidden = sub.hidden_keys
        for key, field in sub.fields.items():
            if key not in self.fields:
                self.fields[key] = field

    def clean(self):
        data = super().clean()
        for key in self.extra_hidden:
            data.pop(key, None)
            self.errors.pop(key, None)
        return data

    def extra_values(self) -> dict:
        """The staff-added fields' values, JSON-safe, by key (file fields: see extra_files)."""
        return {
            s["key"]: fieldkinds.to_json(self.cleaned_data.get(s["key"]))
            for s in self.extra_specs
            if s["key"] not in self.extra_hidden and s["key"] in self.cleaned_data and s["kind"] != "file"
        }

    def extra_files(self) -> dict:
        """The staff-added file fields that change: {key: the new upload, or None to clear it (cleared, or
        hidden by its condition)}. A field left as it was is not listed (its stored file is kept)."""
        out = {}
        for s in self.extra_specs:
            if s["kind"] != "file":
                continue
            value = self.cleaned_data.get(s["key"])
            if s["key"] in self.extra_hidden or value is False:
                out[s["key"]] = None
            elif hasattr(value, "read"):
                out[s["key"]] = value
        return out

    @staticmethod
    def stored_files(extra: dict | None) -> dict:
        """A report's stored file answers as the file inputs' initial values (name and download link)."""
        return {
            k: StoredFile(v.get("name", ""), programme.report_file_url(v))
            for k, v in (extra or {}).items()
            if isinstance(v, dict) and v.get("file")
        }


def _with_unit(figure, unit: str) -> str:
    """A figure with its unit as people write it: 8 inches, 60% (the form had read "stage target 60 %")."""
    if not unit:
        return str(figure)
    return f"{figure}{unit}" if unit[0] in "%‰°" else f"{figure} {unit}"


class MilestoneReportForm(StaffFieldsMixin, forms.Form):
    report = forms.CharField(
        max_length=TEXT_MAX, label=_("完成情况报告"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, milestone=None, extra_specs=(), **kwargs):
        super().__init__(*args, **kwargs)
        for v in milestone.values.all():
            self.fields[f"value_{v.indicator_id}"] = forms.DecimalField(
                label=_("%(n)s 报告值（阶段目标 %(t)s）")
                % {"n": v.indicator.local_name, "t": _with_unit(num(v.target), v.indicator.local_unit)},
                max_digits=16,
                decimal_places=4,
            )
        self.add_staff_fields(extra_specs)

    def values(self) -> dict:
        return {int(k.split("_", 1)[1]): v for k, v in self.cleaned_data.items() if k.startswith("value_")}


class ChangeRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("变更类型"), choices=ChangeRequest.Kind.choices)
    reason = forms.CharField(
        max_length=REASON_MAX, label=_("变更理由"), widget=forms.Textarea(attrs={"rows": 3})
    )
    budget = forms.DecimalField(label=_("调整后经费（万元）"), required=False)
    end_date = forms.DateField(
        label=_("调整后结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    milestone_dates = MilestoneDatesField(label=_("里程碑新到期日"), required=False)
    team_text = ApplicationTeamField(label=_("变更后团队"), required=False)

    def __init__(self, *args, contract=None, **kwargs):
        super().__init__(*args, **kwargs)
        if contract is not None:
            self.fields["milestone_dates"].set_milestones(
                (m.seq, f"{m.seq}. {m.title}") for m in contract.milestones.all()
            )

    def payload(self) -> dict:
        d = self.cleaned_data
        if d["kind"] == "budget":
            return {"budget": str(d["budget"]) if d["budget"] is not None else ""}
        if d["kind"] == "team":
            return {"team": d["team_text"]}
        payload = {}
        if d["end_date"]:
            payload["end_date"] = d["end_date"].isoformat()
        ms = {str(r["seq"]): r["due"].isoformat() for r in d["milestone_dates"]}
        if ms:
            payload["milestones"] = ms
        return payload


class MidtermForm(StaffFieldsMixin, forms.ModelForm):
    class Meta:
        formfield_callback = bounded_text(notes=REASON_MAX)
        model = MidtermCheck
        fields = ["conclusion", "notes"]

    def __init__(self, *args, extra_specs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.add_staff_fields(extra_specs)


class PerformanceForm(StaffFieldsMixin, forms.Form):
    """The performance evaluation (绩效评价, issue #18): its grade, then the fields of the list version's
    performance form (by key). A draft may be saved without a grade; submitting needs one."""

    grade = forms.ChoiceField(
        label=_("评价等级"),
        required=False,
        choices=[("", "—")] + list(PerformanceEvaluation.Grade.choices),
    )

    def __init__(self, *args, extra_specs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.add_staff_fields(extra_specs)

    @classmethod
    def initial_for(cls, evaluation) -> dict:
        if evaluation is None:
            return {}
        values = evaluation.values or {}
        return {
            "grade": evaluation.grade,
            **{k: v for k, v in values.items() if not (isinstance(v, dict) and v.get("file"))},
            **cls.stored_files(values),
        }


class AcceptanceForm(StaffFieldsMixin, forms.Form):
    verdict = forms.ChoiceField(label=_("验收结论"), choices=Acceptance.Verdict.choices)
    conditions = forms.CharField(
        max_length=REASON_MAX, label=_("整改条件"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    panel = forms.CharField(max_length=REASON_MAX, label=_("验收专家组"), required=False)
    opinion = forms.CharField(
        max_length=REASON_MAX, label=_("验收意见"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, contract=None, extra_specs=(), **kwargs):
        super().__init__(*args, **kwargs)
        for ind in contract.indicators.all():
            self.fields[f"ind_{ind.pk}"] = forms.DecimalField(
                label=_("%(n)s 实际达到值（目标 %(t)s %(u)s）")
                % {
                    "n": ind.local_name,
                    "t": f"{ind.target.normalize():f}",
                    "u": ind.local_unit,
                },  # 400, not 400.0000
                max_digits=16,
                decimal_places=4,
            )
        self.add_staff_fields(extra_specs)

    def achieved(self) -> dict:
        return {int(k[4:]): v for k, v in self.cleaned_data.items() if k.startswith("ind_")}


class ResultForm(forms.ModelForm):
    class Meta:
        formfield_callback = bounded_text()
        model = Result
        fields = ["kind", "title", "identifier", "achieved_on", "description", "is_stage_result"]
        widgets = {"achieved_on": forms.DateInput(attrs={"type": "date"})}


class TransferForm(forms.ModelForm):
    class Meta:
        formfield_callback = bounded_text(note=REASON_MAX)
        model = Transfer
        fields = ["kind", "counterparty", "amount", "transferred_on", "note"]
        widgets = {"transferred_on": forms.DateInput(attrs={"type": "date"})}


class DownSelectForm(forms.Form):
    note = forms.CharField(
        max_length=REASON_MAX, label=_("评估意见"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, contracts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.contracts = list(contracts)
        for c in self.contracts:
            # a team merges into another team, never into itself (the service refuses that)
            choices = [("keep", _("继续支持")), ("stop", _("终止"))] + [
                (f"merge:{other.pk}", _("合并至 %(c)s") % {"c": str(other)})
                for other in self.contracts
                if other.pk != c.pk
            ]
            self.fields[f"c_{c.pk}"] = forms.ChoiceField(label=str(c), choices=choices)

    def outcomes(self) -> dict:
        out = {}
        for c in self.contracts:
            v = self.cleaned_data[f"c_{c.pk}"]
            out[c.pk] = ("merge", int(v.split(":")[1])) if v.startswith("merge:") else v
        return out


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


class ContractForm(forms.Form):
    title = forms.CharField(label=_("项目名称"), max_length=200)
    start_date = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
    budget = forms.DecimalField(label=_("财政经费（万元）"), min_value=0, decimal_places=2)
    budget_self = forms.DecimalField(label=_("自筹经费（万元）"), min_value=0, decimal_places=2)
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(max_length=REASON_MAX, label=_("修改说明"), required=False)


class ChallengeNameEnForm(forms.Form):
    """A challenge's English name, at any status (services.challenge_translate): a rendering of the title for
    English pages, not a change of the list's terms."""

    title_en = forms.CharField(label=_("英文名称"), max_length=300, required=False)


class ChallengeEnglishForm(forms.Form):
    """A published challenge's English name and its target indicators' English names and units, on one page
    (services.challenge_english_set): `name_en_<id>` and `unit_en_<id>` per indicator (no unit field for an
    indicator without a unit), `version` as read. `groups()` gives the indicator rows with their fields for the
    page."""

    title_en = forms.CharField(
        label=_("榜单英文名称"),
        max_length=300,
        required=False,
        help_text=_("英文页面显示；留空则显示中文名称。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, challenge, indicators, **kwargs):
        from kechuang.core.units import english as unit_english

        kwargs.setdefault(
            "initial",
            {
                "title_en": challenge.title_en,
                "version": challenge.version,
                **{f"name_en_{i.pk}": i.name_en for i in indicators},
                **{f"unit_en_{i.pk}": i.unit_en for i in indicators if i.unit},
            },
        )
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for i in indicators:
            self.fields[f"name_en_{i.pk}"] = forms.CharField(
                label=_("“%(name)s”的英文名称") % {"name": i.name},
                max_length=200,
                required=False,
                help_text=_("留空则显示中文名称。"),
            )
            if not i.unit:
                continue
            default = unit_english(i.unit)
            if default == i.unit:
                helped = _("单位不含中文，英文页面照原样显示；需要时可以另填。")
            elif default:
                helped = _("留空则显示常用单位的英文“%(default)s”。") % {"default": default}
            else:
                helped = _("留空则显示中文“%(unit)s”（常用单位表中没有这个单位）。") % {"unit": i.unit}
            self.fields[f"unit_en_{i.pk}"] = forms.CharField(
                label=_("“%(unit)s”的英文单位") % {"unit": i.unit},
                max_length=80,
                required=False,
                help_text=helped,
                widget=forms.TextInput(attrs={"placeholder": default} if default else {}),
            )

    def groups(self) -> list[dict]:
        """Each indicator with its bound fields (name, then unit when it has one), in the list's order."""
        return [
            {
                "indicator": i,
                "fields": [self[f] for f in (f"name_en_{i.pk}", f"unit_en_{i.pk}") if f in self.fields],
            }
            for i in self.indicators
        ]

    def posted(self) -> dict[int, dict]:
        """The indicators' English as typed: {indicator id: {"name_en", "unit_en"}} (a unit only where asked)."""
        d = self.cleaned_data
        return {
            i.pk: {
                "name_en": d.get(f"name_en_{i.pk}", ""),
                **({"unit_en": d.get(f"unit_en_{i.pk}", "")} if f"unit_en_{i.pk}" in self.fields else {}),
            }
            for i in self.indicators
        }
