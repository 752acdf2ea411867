"""A campaign's grading and its indicators' rules as sentences (issue #13 part 2), not the stored JSON."""

import re

from django.apps import apps
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.core.language import local_name

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
        "parts": _("，").join(parts),
        "fail": labels["fail"],
    }


def leaf_head(node) -> str:
    """A leaf indicator's column heading: its name, with the unit its source is counted in when the name does
    not say it (people38: a column “成果转化金额” read 0 and 3200 with no unit; its source is in 万元)."""
    name = node.local_name
    found = re.search(r"[（(]([^（）()]+)[）)]\s*$", source_label(node.source))
    unit = found.group(1) if found else ""
    return f"{name}{_('（')}{unit}{_('）')}" if unit and unit not in name else name


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
        return _("，").join(_("≥ %(v)s 得 %(s)s 分") % {"v": _n(v), "s": _n(s)} for v, s in steps)
    if rule == IndicatorNode.Rule.LINEAR:
        return _("%(lo)s 及以下 0 分，%(hi)s 及以上 100 分，其间按比例") % {
            "lo": _n(params.get("min", 0)),
            "hi": _n(params.get("max", "—")),
        }
    if rule == IndicatorNode.Rule.EXPERT:
        return _("专家评分，满分 %(m)s") % {"m": _n(params.get("max", 100))}
    if rule == IndicatorNode.Rule.COMPLETION:
        return _("按完成度计分：达到目标 100 分，未达到按完成比例（有现有水平的自现有水平起算）")
    return ""


def node_add_payload(event, payload: dict) -> dict:
    """An indicator added to a campaign, as a person reads it: by its name (not its code), its parent by
    name, its data source by the report field's name, its rule's words as keys."""
    if not payload:
        return payload
    out = dict(payload)
    if out.get("name"):
        out.pop("code", None)
    if out.get("source"):
        out["source"] = source_label(out["source"]) or out["source"]
    if out.get("rule"):
        out["rule"] = dict(IndicatorNode._meta.get_field("rule").flatchoices).get(out["rule"], out["rule"])
    if out.get("parent"):
        parent = IndicatorNode.objects.filter(campaign_id=event.object_id, code=out["parent"]).first()
        out["parent"] = parent.local_name if parent else out["parent"]
    return {str(KEY_WORDS.get(k, k)): v for k, v in out.items()}


def counts_payload(event, payload: dict) -> dict:
    """What a collection, computation or review start counted, with its keys in words."""
    out = dict(payload or {})
    if "method" in out:
        out["method"] = METHODS.get(out["method"], out["method"])
    out.pop("computation", None)
    # A review start's form and round stay keys: the trail names them (the action's refs, apps.py), all the
    # page's at once and in the reader's language.
    return {(k if k in ("form", "round") else str(KEY_WORDS.get(k, k))): v for k, v in out.items()}


def members_payload(event, payload: dict) -> dict:
    """The platforms or projects a campaign takes part with, by name (stored as their ids)."""
    from kechuang.challenges.models import Contract
    from kechuang.platforms.models import Platform

    out = dict(payload or {})
    for key, model, attrs in (
        ("platforms", Platform, ("name", "name_en")),
        ("contracts", Contract, ("title",)),
    ):
        ids = out.get(key)
        if isinstance(ids, list) and ids:
            # A platform in the reader's language (ADR 0019); a project's title as typed.
            names = {
                pk: local_name(*names)
                for pk, *names in model.objects.filter(pk__in=ids).values_list("pk", *attrs)
            }
            out[key] = [names.get(i, "—") for i in ids]
    return {str(KEY_WORDS.get(k, k)): v for k, v in out.items()}


METHODS = {
    "weighted-tree-v1": gettext_lazy("加权指标树"),
    "weighted-tree-v2": gettext_lazy("加权指标树（项目的任务书考核指标逐项计分）"),
}
KEY_WORDS = {
    "name_en": gettext_lazy("英文名称"),
    "rule": gettext_lazy("计分规则"),
    "params": gettext_lazy("参数"),
    "parent": gettext_lazy("上级指标"),
    "source": gettext_lazy("数据来源"),
    "weight": gettext_lazy("权重"),
    "method": gettext_lazy("计算方法"),
    "entries": gettext_lazy("参评对象数"),
    "expert": gettext_lazy("专家评分"),
    "report": gettext_lazy("年度报告数据"),
    "project": gettext_lazy("项目数据"),
    "missing": gettext_lazy("缺少数据"),
    "k": gettext_lazy("每项专家数"),
    "codes": gettext_lazy("指标"),
    "form": gettext_lazy("评分表"),
    "round": gettext_lazy("评审轮次"),
    "platforms": gettext_lazy("参评平台"),
    "contracts": gettext_lazy("参评项目"),
}


def node_sentence(node) -> str:
    """A node's rule in words; a group of the contract's indicators says what its leaves are."""
    if node.expands:
        return _("每个项目的任务书考核指标各为一个末级指标，按完成度计分，权重默认相等（评价开始前可调整）")
    return rule_sentence(node.rule, node.params)
