"""What a project performance evaluation (项目绩效评价) reads from a project: its contract's own target
indicators (任务书考核指标) and how far each was reached, its milestones, its results and transfers. Read in
bulk for every evaluated contract at once (a bounded number of queries); `indicator_degree` is the pure rule.

Stages:
- after acceptance (验收后): each contracted indicator's value is what acceptance recorded (AcceptanceItem),
  against the contract's target; the milestones are all of the contract's.
- mid-term (中期): each indicator's value is the latest value reported at a milestone, against that
  milestone's own target for it (on track or not); the milestones are those due by the evaluation's day.
  An indicator whose targets all fall on milestones due after that day is not yet due (未到期): it is
  left out of the mid-term score, not missing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.challenges.models import (
    Acceptance,
    AcceptanceItem,
    Contract,
    ContractIndicator,
    Milestone,
    MilestoneValue,
    Result,
    Transfer,
)

from .scoring import indicator_degree

# The figures of a project a leaf indicator of a project campaign may read (its `source`).
PROJECT_FIELDS = {
    # A group of a project tree taking source "indicators" gets one leaf per contract indicator of each
    # project (scored by its completion); an older averaged leaf with this source reads the mean degree.
    "indicators": gettext_lazy("任务书考核指标（逐项）"),
    "milestones": gettext_lazy("里程碑核验完成率（%）"),
    "results": gettext_lazy("取得成果数"),
    "transfers": gettext_lazy("成果转化金额（万元）"),
}


@dataclass
class ProjectFacts:
    """One project's figures: {field: value or None}, why a value is missing, the indicators' detail."""

    values: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)
    indicators: list = field(default_factory=list)  # [{name, unit, target, achieved, degree, met}]
    # {contract indicator id: (value reached or None, the target to compare with, why it is missing)}
    achieved: dict = field(default_factory=dict)
    # Mid-term: {contract indicator id: (seq, due date) of the first milestone with a target for it} when
    # no such milestone is due yet (未到期: left out of the mid-term score, not missing).
    not_due: dict = field(default_factory=dict)


def _num(v) -> str:
    return format(Decimal(v).normalize(), "f") if v is not None else ""


def project_facts(*, contract_ids, stage: str, on: datetime.date) -> dict[int, ProjectFacts]:
    """{contract id: ProjectFacts} for every contract in `contract_ids` at `stage` ("acceptance" or
    "midterm") on the day `on`. Six queries whatever the number of contracts."""
    ids = list(contract_ids)
    out = {pk: ProjectFacts() for pk in ids}
    indicators: dict[int, list[ContractIndicator]] = {}
    for ind in ContractIndicator.objects.filter(contract_id__in=ids).order_by("contract_id", "seq", "pk"):
        indicators.setdefault(ind.contract_id, []).append(ind)

    reached: dict[int, dict[int, tuple]] = {}  # contract → indicator → (value, target to compare with)
    if stage == "acceptance":
        accepted = set(Acceptance.objects.filter(contract_id__in=ids).values_list("contract_id", flat=True))
        for item in AcceptanceItem.objects.filter(acceptance__contract_id__in=ids).select_related(
            "acceptance"
        ):
            reached.setdefault(item.acceptance.contract_id, {})[item.indicator_id] = (item.achieved, None)
        no_data = _("项目尚未验收")
        no_value = _("验收未记录该指标的达到值")
    else:
        accepted = set()
        # The latest reported value of each indicator (by milestone order), with that milestone's target.
        # An indicator is due when a milestone with a target for it is due by `on`; else the first one.
        due_by: dict[int, bool] = {}
        first: dict[int, tuple] = {}
        for v in (
            MilestoneValue.objects.filter(milestone__contract_id__in=ids)
            .select_related("milestone")
            .order_by("milestone__contract_id", "indicator_id", "milestone__seq")
        ):
            due_by[v.indicator_id] = due_by.get(v.indicator_id, False) or v.milestone.due_date <= on
            first.setdefault(v.indicator_id, (v.milestone.seq, v.milestone.due_date))
            if v.reported is not None:
                reached.setdefault(v.milestone.contract_id, {})[v.indicator_id] = (v.reported, v.target)
        for pk in ids:
            for ind in indicators.get(pk, []):
                if ind.pk in due_by and not due_by[ind.pk]:
                    out[pk].not_due[ind.pk] = first[ind.pk]
        no_data = _("尚无里程碑报告值")
        no_value = _("里程碑尚未报告该指标的值")

    due = Q() if stage == "acceptance" else Q(due_date__lte=on)
    milestones = {
        r["contract_id"]: r
        for r in Milestone.objects.filter(due, contract_id__in=ids)
        .values("contract_id")
        .annotate(n=Count("pk"), done=Count("pk", filter=Q(status="verified")))
        .order_by()
    }
    results = dict(
        Result.objects.filter(contract_id__in=ids)
        .values("contract_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("contract_id", "n")
    )
    transfers = dict(
        Transfer.objects.filter(result__contract_id__in=ids)
        .values("result__contract_id")
        .annotate(s=Sum("amount"))
        .order_by()
        .values_list("result__contract_id", "s")
    )

    for pk in ids:
        f = out[pk]
        got = reached.get(pk, {})
        rows = []
        for ind in indicators.get(pk, []):
            value, stage_target = got.get(ind.pk, (None, None))
            target = stage_target if stage_target is not None else ind.target
            f.achieved[ind.pk] = (value, target, "" if value is not None else str(no_value))
            degree = (
                None
                if value is None
                else indicator_degree(
                    target=target,
                    achieved=value,
                    baseline=ind.baseline,
                    higher_is_better=ind.higher_is_better,
                )
            )
            rows.append(
                {
                    "name": ind.name,
                    "name_en": ind.name_en,
                    "unit": ind.unit,
                    "unit_en": ind.unit_en,
                    "target": _num(target),
                    "achieved": _num(value),
                    "degree": degree,
                }
            )
        f.indicators = rows
        degrees = [r["degree"] for r in rows if r["degree"] is not None]
        if stage == "acceptance" and pk not in accepted:
            f.values["indicators"], f.notes["indicators"] = None, no_data
        elif not rows:
            f.values["indicators"], f.notes["indicators"] = None, _("任务书没有考核指标")
        elif not degrees:
            f.values["indicators"], f.notes["indicators"] = None, no_data
        else:
            # An indicator without a value counts as not reached (0) among those the contract promised.
            f.values["indicators"] = round(sum(degrees) / len(rows), 2)
            reached_n = sum(1 for d in degrees if d >= 100)
            f.notes["indicators"] = _("%(m)d/%(n)d 项达到目标") % {"m": reached_n, "n": len(rows)}
        m = milestones.get(pk)
        if m and m["n"]:
            f.values["milestones"] = round(100 * m["done"] / m["n"], 2)
            f.notes["milestones"] = _("%(d)d/%(n)d 个里程碑已核验") % {"d": m["done"], "n": m["n"]}
        else:
            f.values["milestones"], f.notes["milestones"] = None, _("尚无到期的里程碑")
        f.values["results"] = results.get(pk, 0)
        f.values["transfers"] = float(transfers.get(pk) or 0)
    return out


def eligible_contracts(stage: str):
    """The projects a performance evaluation of `stage` may take: after acceptance, those accepted (passed,
    conditionally passed or failed: a verdict exists); mid-term, those being carried out."""
    if stage == "acceptance":
        return Contract.objects.filter(acceptance__isnull=False)
    return Contract.objects.filter(status=Contract.Status.IN_PROGRESS)


def stage_refusal(contract: Contract, stage: str) -> str | None:
    """Why `contract` may not enter a performance evaluation of `stage` (None when it may)."""
    if eligible_contracts(stage).filter(pk=contract.pk).exists():
        return None
    if stage == "acceptance":
        return _("项目“%(t)s”尚未验收，不能参加验收后绩效评价。") % {"t": contract.title}
    return _("项目“%(t)s”不在实施中（%(s)s），不能参加中期绩效评价。") % {
        "t": contract.title,
        "s": contract.get_status_display(),
    }
