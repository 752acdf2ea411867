"""A campaign's grading and its indicators' rules as sentences (issue #13 part 2), not the stored JSON."""

from django.apps import apps
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .models import Campaign, IndicatorNode, Result
from .projects import PROJECT_FIELDS

GRADES = ("excellent", "good", "pass")


def _n(value) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return number_format(int(number) if number == int(number) else round(number, 4))


def grading_sentence(grading: str, params: dict) -> str:
    """按分数线：优秀 ≥ 85，良好 ≥ 75，合格 ≥ 60，其余不合格 (or 按比例：优秀 前 20%，…)."""
    params = params or {}
    labels = dict(Result.Grade.choices)
    if grading == Campaign.Grading.QUOTAS:
        parts = [
            _("%(grade)s 前 %(p)s%%") % {"grade": labels[g], "p": _n(float(params[g]) * 100)}
            for g in GRADES
            if g in params
        ]
    else:
        parts = [
            _("%(grade)s ≥ %(v)s 分") % {"grade": labels[g], "v": _n(params[g])}
            for g in GRADES
            if g in params
        ]
    head = Campaign.Grading(grading).label if grading in Campaign.Grading.values else grading
    return _("%(how)s：%(parts)s，其余%(fail)s") % {
        "how": head,
        "parts": "，".join(parts),
        "fail": labels["fail"],
    }


def source_label(source: str) -> str:
    """A yearly-report field (固定人员数) or a project figure (任务书考核指标完成度) by its name, not its code."""
    if not source:
        return ""
    if source in PROJECT_FIELDS:
        return str(PROJECT_FIELDS[source])
    report = apps.get_model("platforms", "YearlyReport")
    try:
        return str(report._meta.get_field(source).verbose_name)
    except Exception:
        return source


def rule_sentence(rule: str, params: dict) -> str:
    """A leaf's scoring rule with its parameters in words."""
    params = params or {}
    if rule == IndicatorNode.Rule.THRESHOLD:
        steps = sorted((float(v), float(s)) for v, s in params.get("steps", []))
        return "，".join(_("≥ %(v)s 得 %(s)s 分") % {"v": _n(v), "s": _n(s)} for v, s in steps)
    if rule == IndicatorNode.Rule.LINEAR:
        return _("%(lo)s 及以下 0 分，%(hi)s 及以上 100 分，其间按比例") % {
            "lo": _n(params.get("min", 0)),
            "hi": _n(params.get("max", "—")),
        }
    if rule == IndicatorNode.Rule.EXPERT:
        return _("专家评分，满分 %(m)s") % {"m": _n(params.get("max", 100))}
    return ""
