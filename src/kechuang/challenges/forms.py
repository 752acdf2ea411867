"""Forms of the challenge pages. They parse and validate input; the services decide and write."""

import json
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.models import Unit
from kechuang.accounts.pickers import unit_field
from kechuang.core import uploads
from kechuang.core.fields import LookupChoiceField
from kechuang.core.uploads import CheckedFileField

from .models import Acceptance, Challenge, ChangeRequest, MidtermCheck, Need, Result, Topic, Transfer
from .templatetags.challenges_tags import num

ROWS_HELP = _("每行一项，用竖线分隔。")


def _rows(text: str, width: int) -> list[list[str]]:
    out = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        cells = [c.strip() for c in line.split("|")]
        out.append((cells + [""] * width)[:width])
    return out


def _dec(value: str, line: int, what: str):
    if value == "":
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        raise forms.ValidationError(
            _("第%(n)d行：%(w)s“%(v)s”不是数字。") % {"n": line, "w": what, "v": value}
        )


class NeedForm(forms.ModelForm):
    class Meta:
        model = Need
        fields = ["title", "problem", "indicators_wanted", "cofund_budget", "industry", "urgency"]


class TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["title", "description", "industry", "track", "trl_baseline", "trl_target"]


class ChallengeForm(forms.ModelForm):
    # Typed by name (or id): <select>s would list every topic (2,400) and unit (50,000) at national size.
    topic = LookupChoiceField(label=_("课题"), queryset=Topic.objects.all(), to_field_name="title")
    cofunder = unit_field(label=_("联合出资单位"), queryset=Unit.objects.all(), required=False)
    indicators_text = forms.CharField(
        label=_("目标指标"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行：指标名称|计量单位|现有水平|目标值|方向（高/低，默认越高越好）"),
    )
    criteria_text = forms.CharField(
        label=_("评审指标及权重"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行：代码|名称|权重，权重之和为 1"),
        initial="tech|技术先进性|0.4\nteam|团队能力|0.3\nplan|实施方案|0.3",
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
        model = Challenge
        fields = [
            "code",
            "year",
            "topic",
            "title",
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
            self.initial["indicators_text"] = "\n".join(
                f"{i.name}|{i.unit}|{i.baseline if i.baseline is not None else ''}|{i.target}|{'高' if i.higher_is_better else '低'}"
                for i in inst.indicators.all()
            )
            self.initial["criteria_text"] = "\n".join(
                f"{c['code']}|{c['name']}|{c['weight']}" for c in inst.criteria or []
            )

    def clean_indicators_text(self):
        out = []
        for n, (name, unit, base, target, direction) in enumerate(
            _rows(self.cleaned_data["indicators_text"], 5), 1
        ):
            if not name or target == "":
                raise forms.ValidationError(_("第%(n)d行：须有指标名称和目标值。") % {"n": n})
            out.append(
                {
                    "name": name,
                    "unit": unit,
                    "baseline": _dec(base, n, _("现有水平")),
                    "target": _dec(target, n, _("目标值")),
                    "higher_is_better": direction not in ("低", "low", "-"),
                }
            )
        if not out:
            raise forms.ValidationError(_("至少一项指标。"))
        return out

    def clean_criteria_text(self):
        out = []
        for n, (code, name, weight) in enumerate(_rows(self.cleaned_data["criteria_text"], 3), 1):
            w = _dec(weight, n, _("权重"))
            if not code or not name or w is None:
                raise forms.ValidationError(_("第%(n)d行：须有代码、名称和权重。") % {"n": n})
            out.append({"code": code, "name": name, "weight": float(w)})
        return out


class ApplicationForm(forms.Form):
    title = forms.CharField(label=_("项目名称"), max_length=200)
    plan = forms.CharField(label=_("技术方案"), widget=forms.Textarea(attrs={"rows": 8}))
    keywords = forms.CharField(label=_("关键词"), required=False)
    disciplines = forms.CharField(label=_("学科代码"), required=False)
    budget_requested = forms.DecimalField(label=_("申请财政经费（万元）"), min_value=0, decimal_places=2)
    budget_self = forms.DecimalField(label=_("自筹经费（万元）"), min_value=0, decimal_places=2, initial=0)
    avoid_names = forms.CharField(
        label=_("申请回避专家"), required=False, help_text=_("姓名，用逗号或顿号分隔。")
    )
    avoid_units = unit_field(label=_("申请回避单位"), multiple=True, required=False)
    team_text = forms.CharField(
        label=_("团队成员"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行：姓名|职称|分工"),
    )
    milestones_text = forms.CharField(
        label=_("里程碑"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行：阶段目标|第几个月|拨付经费（万元）|指标阶段目标（指标名=值，用分号分隔）"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_team_text(self):
        return [
            {"name": a, "title": b, "duty": c} for a, b, c in _rows(self.cleaned_data["team_text"], 3) if a
        ]

    def clean_milestones_text(self):
        out = []
        for n, (title, month, tranche, targets) in enumerate(
            _rows(self.cleaned_data["milestones_text"], 4), 1
        ):
            if not title or not month.isdigit():
                raise forms.ValidationError(_("第%(n)d行：须有阶段目标和月份（整数）。") % {"n": n})
            pairs = {}
            for part in [p for p in targets.replace("；", ";").split(";") if p.strip()]:
                if "=" not in part:
                    raise forms.ValidationError(_("第%(n)d行：指标目标应写成“指标名=值”。") % {"n": n})
                k, v = part.split("=", 1)
                pairs[k.strip()] = str(_dec(v.strip(), n, k.strip()))
            out.append(
                {
                    "title": title,
                    "month": int(month),
                    "tranche": _dec(tranche or "0", n, _("拨付经费")),
                    "targets": pairs,
                }
            )
        if not out:
            raise forms.ValidationError(_("至少一个里程碑。"))
        return out

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
            "team_text": "\n".join(f"{m.name}|{m.title}|{m.duty}" for m in app.members.all()),
            "milestones_text": "\n".join(
                f"{m.title}|{m.month}|{m.tranche}|{';'.join(f'{k}={v}' for k, v in (m.targets or {}).items())}"
                for m in app.milestones.all()
            ),
            "version": app.version,
        }


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
    reason = forms.CharField(label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ObjectionForm(forms.Form):
    application = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 3}))
    contact = forms.CharField(label=_("联系方式"), required=False)


class DecisionForm(forms.Form):
    days = forms.IntegerField(label=_("公示天数"), min_value=5, initial=7)
    notice = forms.CharField(label=_("公示说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MilestoneReportForm(forms.Form):
    report = forms.CharField(label=_("完成情况报告"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, milestone=None, **kwargs):
        super().__init__(*args, **kwargs)
        for v in milestone.values.all():
            self.fields[f"value_{v.indicator_id}"] = forms.DecimalField(
                label=_("%(n)s 报告值（阶段目标 %(t)s %(u)s）")
                % {"n": v.indicator.name, "t": num(v.target), "u": v.indicator.unit},
                max_digits=16,
                decimal_places=4,
            )

    def values(self) -> dict:
        return {int(k.split("_", 1)[1]): v for k, v in self.cleaned_data.items() if k.startswith("value_")}


class ChangeRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("变更类型"), choices=ChangeRequest.Kind.choices)
    reason = forms.CharField(label=_("变更理由"), widget=forms.Textarea(attrs={"rows": 3}))
    budget = forms.DecimalField(label=_("调整后经费（万元）"), required=False)
    end_date = forms.DateField(
        label=_("调整后结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    milestone_dates = forms.CharField(
        label=_("里程碑新到期日"),
        required=False,
        help_text=_("每行：序号|YYYY-MM-DD"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    team_text = forms.CharField(
        label=_("变更后团队"),
        required=False,
        help_text=_("每行：姓名|职称|分工"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def payload(self) -> dict:
        d = self.cleaned_data
        if d["kind"] == "budget":
            return {"budget": str(d["budget"]) if d["budget"] is not None else ""}
        if d["kind"] == "team":
            return {"team": [{"name": a, "title": b, "duty": c} for a, b, c in _rows(d["team_text"], 3) if a]}
        payload = {}
        if d["end_date"]:
            payload["end_date"] = d["end_date"].isoformat()
        ms = {seq: day for seq, day in _rows(d["milestone_dates"], 2) if seq}
        if ms:
            payload["milestones"] = ms
        return payload


class MidtermForm(forms.ModelForm):
    class Meta:
        model = MidtermCheck
        fields = ["conclusion", "notes"]


class AcceptanceForm(forms.Form):
    verdict = forms.ChoiceField(label=_("验收结论"), choices=Acceptance.Verdict.choices)
    conditions = forms.CharField(
        label=_("整改条件"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    panel = forms.CharField(label=_("验收专家组"), required=False)
    opinion = forms.CharField(label=_("验收意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, contract=None, **kwargs):
        super().__init__(*args, **kwargs)
        for ind in contract.indicators.all():
            self.fields[f"ind_{ind.pk}"] = forms.DecimalField(
                label=_("%(n)s 实际达到值（目标 %(t)s %(u)s）")
                % {"n": ind.name, "t": ind.target, "u": ind.unit},
                max_digits=16,
                decimal_places=4,
            )

    def achieved(self) -> dict:
        return {int(k[4:]): v for k, v in self.cleaned_data.items() if k.startswith("ind_")}


class ResultForm(forms.ModelForm):
    class Meta:
        model = Result
        fields = ["kind", "title", "identifier", "achieved_on", "description", "is_stage_result"]
        widgets = {"achieved_on": forms.DateInput(attrs={"type": "date"})}


class TransferForm(forms.ModelForm):
    class Meta:
        model = Transfer
        fields = ["kind", "counterparty", "amount", "transferred_on", "note"]
        widgets = {"transferred_on": forms.DateInput(attrs={"type": "date"})}


class DownSelectForm(forms.Form):
    note = forms.CharField(label=_("评估意见"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, contracts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.contracts = list(contracts)
        choices = [("keep", _("继续支持")), ("stop", _("终止"))] + [
            (f"merge:{c.pk}", _("合并至 %(c)s") % {"c": c.code}) for c in self.contracts
        ]
        for c in self.contracts:
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
    reason = forms.CharField(label=_("修改说明"), required=False)
