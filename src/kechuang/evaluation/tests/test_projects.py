"""Project performance evaluation (项目绩效评价, issue #16.2): the evaluation engine over projects — the
contract's own target indicators in the tree, expert scores through review with its conflict rules, grades —
results on the project's page and in its unit's and leader's record; each refusal with its reason, each role
refused where it should be, every state change audited; pages, API and Excel export."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from kechuang.accounts.tests.factories import UserFactory
from kechuang.challenges.models import (
    Acceptance,
    AcceptanceItem,
    ContractIndicator,
    MilestoneValue,
    Result,
    Transfer,
)
from kechuang.challenges.tests.factories import ContractFactory
from kechuang.core.dates import date_text
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.models import AuditEvent, Notification
from kechuang.core.roles import Role
from kechuang.evaluation import projects, selectors, services
from kechuang.evaluation.models import Campaign, Entry, IndicatorNode, Score
from kechuang.review import services as review_services
from kechuang.review.models import Assignment, ExpertProfile
from kechuang.review.tests.factories import ExpertProfileFactory

pytestmark = pytest.mark.django_db


# --- the pure rule ------------------------------------------------------------------------------------


def test_indicator_degree_from_the_baseline_in_either_direction():
    # 晶圆直径 4 → 8 英寸: 6 is half the promised progress; 8 or more is all of it.
    assert projects.indicator_degree(target=8, achieved=6, baseline=4) == 50.0
    assert projects.indicator_degree(target=8, achieved=9, baseline=4) == 100.0
    assert projects.indicator_degree(target=8, achieved=3, baseline=4) == 0.0
    # 微管密度 5 → 1 个/cm² (lower is better): 3 is half way; 1 or less reaches it.
    assert projects.indicator_degree(target=1, achieved=3, baseline=5, higher_is_better=False) == 50.0
    assert projects.indicator_degree(target=1, achieved=0.5, baseline=5, higher_is_better=False) == 100.0
    # no baseline: from zero (higher), the target's share of the value (lower)
    assert projects.indicator_degree(target=200, achieved=50) == 25.0
    assert projects.indicator_degree(target=2, achieved=8, higher_is_better=False) == 25.0


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    target=st.integers(min_value=-1000, max_value=1000),
    a=st.integers(min_value=-2000, max_value=2000),
    b=st.integers(min_value=-2000, max_value=2000),
    base=st.none() | st.integers(min_value=-1000, max_value=1000),
    higher=st.booleans(),
)
def test_indicator_degree_is_bounded_and_monotone(target, a, b, base, higher):
    da = projects.indicator_degree(target=target, achieved=a, baseline=base, higher_is_better=higher)
    db = projects.indicator_degree(target=target, achieved=b, baseline=base, higher_is_better=higher)
    assert 0 <= da <= 100 and 0 <= db <= 100
    better_a = a >= b if higher else a <= b
    if better_a:
        assert da >= db
    reached = a >= target if higher else a <= target
    assert (da == 100) >= reached


# --- a project campaign end to end ----------------------------------------------------------------------


def accept(contract, achieved: dict, verdict="passed"):
    """An acceptance record with its items (what challenges' acceptance_record stores)."""
    acc = Acceptance.objects.create(
        contract=contract,
        accepted_on=datetime.date(2026, 11, 20),
        verdict=verdict,
        conditions="补充试验报告" if verdict == "conditional" else "",
    )
    for ind in contract.indicators.all():
        if ind.name not in achieved:  # not recorded at acceptance
            continue
        AcceptanceItem.objects.create(
            acceptance=acc,
            indicator=ind,
            achieved=Decimal(achieved[ind.name]),
            met=ind.met_by(Decimal(achieved[ind.name])),
        )
    type(contract).objects.filter(pk=contract.pk).update(status="finished")
    contract.refresh_from_db()
    return acc


@pytest.fixture
def accepted():
    """Two accepted projects: one reaching all its indicators with results, one half-way without."""
    a, b = ContractFactory(title="碳化硅单晶衬底"), ContractFactory(title="氮化镓外延片")
    accept(a, {"晶圆直径": "8", "微管密度": "0.8"})
    accept(b, {"晶圆直径": "6", "微管密度": "3"}, verdict="conditional")
    a.milestones.update(status="verified")
    r = Result.objects.create(
        contract=a, kind="patent", title="一种碳化硅单晶生长方法", achieved_on=datetime.date(2026, 6, 1)
    )
    Transfer.objects.create(
        result=r,
        kind="licence",
        counterparty="某公司",
        amount=Decimal("60"),
        transferred_on=datetime.date(2026, 7, 1),
    )
    return a, b


def project_campaign(staff, stage="acceptance", **kw):
    return services.campaign_create(
        actor=staff, name=kw.pop("name", "项目绩效评价"), year=2026, subject="project", stage=stage, **kw
    )


def test_a_project_campaign_needs_a_stage_and_takes_only_projects_that_fit_it(staff, accepted):
    a, b = accepted
    with pytest.raises(ApplicationError, match="评价阶段"):
        services.campaign_create(actor=staff, name="x", year=2026, subject="project")
    c = project_campaign(staff)
    running = ContractFactory(running=True, title="运行中的项目")
    with pytest.raises(ApplicationError, match="“运行中的项目”尚未验收"):
        services.contracts_set(actor=staff, campaign=c, contracts=[a, running])
    assert not c.entries.exists()
    with pytest.raises(ApplicationError, match="平台"):
        services.entries_set(actor=staff, campaign=c, platforms=[])
    with pytest.raises(PermissionDenied):
        services.contracts_set(actor=a.commissioner, campaign=c, contracts=[a])
    services.contracts_set(actor=staff, campaign=c, contracts=[a, b])
    assert set(c.entries.values_list("contract_id", flat=True)) == {a.pk, b.pk}
    mid = project_campaign(staff, stage="midterm", name="中期评价")
    with pytest.raises(ApplicationError, match="不在实施中"):
        services.contracts_set(actor=staff, campaign=mid, contracts=[a])
    services.contracts_set(actor=staff, campaign=mid, contracts=[running])
    # a platform-only source is refused in a project tree, with the reason
    with pytest.raises(ApplicationError, match="项目的数据来源"):
        services.node_add(
            actor=staff,
            campaign=c,
            code="s",
            name="人员",
            weight=1,
            rule="linear",
            source="staff",
            params={"max": 1},
        )


def test_collect_compute_publish_and_the_record(staff, accepted, client_for, api_for):
    a, b = accepted
    c = project_campaign(staff)
    services.tree_add_default(actor=staff, campaign=c)
    services.contracts_set(actor=staff, campaign=c, contracts=[a, b])
    services.campaign_transition(actor=staff, campaign=c, action="open")
    counts = services.campaign_collect(actor=staff, campaign=c)
    # per project: its 2 contract indicators (one leaf each) and 3 project figures; the expert leaf has no
    # review yet
    assert counts == {"project": 10, "expert": 0, "missing": 2}
    table = selectors.score_table(campaign=c)
    ea, eb = (c.entries.get(contract=x) for x in (a, b))
    # each project's own leaves under the group of the contract's indicators, equal weights
    own_b = selectors.own_leaves(entry=eb)
    assert [(i["name"], i["value"], i["weight"]) for i in own_b] == [
        ("晶圆直径", Decimal("6"), Decimal("1")),
        ("微管密度", Decimal("3"), Decimal("1")),
    ]
    # b: 晶圆直径 6 of 4→8 is 50 %, 微管密度 3 of 5→1 is 50 % (lower is better)
    assert [i["degree"] for i in own_b] == [50.0, 50.0]
    assert [i["higher_is_better"] for i in own_b] == [True, False]
    assert table[ea.pk]["milestones"].value == Decimal("100") and table[eb.pk]["milestones"].value == 0
    assert table[ea.pk]["results"].value == 1 and table[ea.pk]["transfers"].value == Decimal("60")
    services.score_set(
        actor=staff, entry=ea, node=c.nodes.get(code="expert"), value=90, note="专家组会议评分"
    )
    services.score_set(
        actor=staff, entry=eb, node=c.nodes.get(code="expert"), value=70, note="专家组会议评分"
    )
    comp = services.campaign_compute(actor=staff, campaign=c)
    assert services.computation_verify(computation=comp)
    assert comp.inputs["entries"][0]["contract"] == a.pk
    results = {r.entry.contract_id: r for r in selectors.results(campaign=c)}
    # a: goals 50 × 1 + output 20 × (60 + 80)/2/100 + expert 30 × 0.9 → 50 + 14 + 27 = 91
    assert results[a.pk].total == Decimal("91.00") and results[a.pk].grade == "excellent"
    # b: goals 50 × (0.7 × 0.5 + 0) + 0 + 30 × 0.7 → 17.5 + 21 = 38.5
    assert results[b.pk].total == Decimal("38.50") and results[b.pk].grade == "fail"
    # Before publication the project's unit sees no result; staff do (marked unpublished).
    assert "项目绩效评价" not in client_for(a.leader).get(a.get_absolute_url()).content.decode()
    assert selectors.project_results(user=staff, contracts=[a])[0]["published"] is False
    services.campaign_transition(actor=staff, campaign=c, action="publish")
    c.refresh_from_db()
    assert c.status == "published"
    assert Notification.objects.filter(recipient=a.leader, kind="evaluation.published").exists()
    assert Notification.objects.filter(recipient=b.leader, kind="evaluation.published").exists()
    page = client_for(a.leader).get(a.get_absolute_url()).content.decode()
    assert "项目绩效评价" in page and "91.00" in page and "优秀" in page
    # the unit's and the leader's record (accounts pages, staff)
    unit_page = client_for(staff).get(reverse("accounts:unit-detail", args=[a.unit_id])).content.decode()
    assert "项目绩效评价" in unit_page and "优秀 1 项" in unit_page
    person = client_for(staff).get(reverse("accounts:user-detail", args=[b.leader_id])).content.decode()
    assert "氮化镓外延片" in person and "不合格 1 项" in person
    # the entry page: the contract's indicators, target against reached, for those who see the project
    entry_page = client_for(b.leader).get(eb.get_absolute_url()).content.decode()
    assert "任务书考核指标完成情况" in entry_page and "晶圆直径" in entry_page and "越小越好" in entry_page
    stranger = UserFactory(roles=[Role.APPLICANT])
    assert "任务书考核指标完成情况" not in client_for(stranger).get(eb.get_absolute_url()).content.decode()
    # every state change audited
    actions = set(AuditEvent.objects.for_object(c).values_list("action", flat=True))
    assert {
        "campaign.create",
        "campaign.contracts_set",
        "campaign.open",
        "campaign.collect",
        "campaign.compute",
        "campaign.publish",
    } <= actions, actions
    # the API: results name the project and its unit
    body = api_for(stranger).get(f"/api/evaluation/campaigns/{c.pk}/results/").json()["results"]
    assert [(r["contract"], r["name"], r["grade"]) for r in body] == [
        (a.pk, "碳化硅单晶衬底", "excellent"),
        (b.pk, "氮化镓外延片", "fail"),
    ]
    assert body[0]["platform"] is None and body[0]["unit_name"] == a.unit.name
    # the Excel export
    x = client_for(staff).get(c.get_absolute_url() + "?export=xlsx")
    ws = load_workbook(io.BytesIO(x.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("排名", "任务书编号", "项目", "承担单位") and rows[1][2] == "碳化硅单晶衬底"


def test_expert_scores_through_review_keep_out_the_projects_own_units_and_team(staff, accepted):
    a, b = accepted
    c = project_campaign(staff)
    services.tree_add_default(actor=staff, campaign=c)
    services.contracts_set(actor=staff, campaign=c, contracts=[a, b])
    services.campaign_transition(actor=staff, campaign=c, action="open")
    same_unit = ExpertProfileFactory(user__unit=a.unit)
    others = [ExpertProfileFactory() for _ in range(3)]
    pool = ExpertProfile.objects.filter(pk__in=[same_unit.pk, *[o.pk for o in others]])
    rnd = services.campaign_review_start(actor=staff, campaign=c, k=2, experts=pool)
    review_services.round_assign(actor=staff, round=rnd)
    ea = c.entries.get(contract=a)
    on_a = set(
        Assignment.objects.filter(round=rnd, subject__object_id=ea.pk, status="active").values_list(
            "expert_id", flat=True
        )
    )
    assert same_unit.user_id not in on_a and len(on_a) == 2
    review_services.round_transition(actor=staff, round=rnd, action="start")
    for asg in Assignment.objects.filter(round=rnd, status="active").select_related("review", "subject"):
        r = review_services.review_open(actor=asg.expert, review=asg.review)
        r = review_services.review_save(
            actor=asg.expert,
            review=r,
            expected_version=r.version,
            scores={"expert": 80},
            comments="意见",
            opinion="公开意见",
            recommendation="support",
        )
        review_services.review_submit(actor=asg.expert, review=r)
    counts = services.campaign_collect(actor=staff, campaign=c)
    assert counts["expert"] == 2 and counts["missing"] == 0
    assert Score.objects.get(entry=ea, node__code="expert").value == Decimal("80")


def test_midterm_compares_reported_values_with_the_milestones_own_targets(staff):
    running = ContractFactory(running=True)
    m1 = running.milestones.get(seq=1)
    # 晶圆直径 at milestone 1: target 6 from the baseline 4, reported 5 → half way
    MilestoneValue.objects.filter(milestone=m1).update(reported=Decimal("5"))
    m1.status = "verified"
    m1.save(update_fields=["status"])
    facts = projects.project_facts(contract_ids=[running.pk], stage="midterm", on=datetime.date(2027, 1, 15))[
        running.pk
    ]
    # one of two indicators reported against the milestone's own target 6 (half way), the other missing
    d, m = running.indicators.order_by("seq")
    assert facts.achieved[d.pk][:2] == (Decimal("5"), Decimal("6"))
    assert facts.achieved[m.pk][0] is None and facts.achieved[m.pk][2] == "里程碑尚未报告该指标的值"
    # the older averaged figure: the reported one 50 %, the other counts as not reached
    assert facts.values["indicators"] == 25.0
    assert facts.values["milestones"] == 100.0  # the one milestone due by then is verified
    early = projects.project_facts(contract_ids=[running.pk], stage="midterm", on=datetime.date(2026, 6, 1))
    assert early[running.pk].values["milestones"] is None
    silent = ContractFactory(running=True)
    f = projects.project_facts(contract_ids=[silent.pk], stage="midterm", on=datetime.date(2027, 1, 15))
    assert (
        f[silent.pk].values["indicators"] is None and f[silent.pk].notes["indicators"] == "尚无里程碑报告值"
    )


def due_first_milestone(*contracts):
    """The first milestone due yesterday, the second next year (whatever the day the test runs)."""
    today = timezone.localdate()
    for c in contracts:
        c.milestones.filter(seq=1).update(due_date=today - datetime.timedelta(days=1))
        c.milestones.filter(seq=2).update(due_date=today + datetime.timedelta(days=365))


def test_publishing_asks_what_becomes_of_projects_without_indicator_values(staff, client_for):
    running = ContractFactory(running=True, title="沉默的项目")
    reporting = ContractFactory(running=True, title="按期报告的项目")
    due_first_milestone(running, reporting)
    MilestoneValue.objects.filter(milestone__contract=reporting, milestone__seq=1).update(reported=6)
    c = project_campaign(staff, stage="midterm")
    services.tree_add_default(actor=staff, campaign=c)
    services.contracts_set(actor=staff, campaign=c, contracts=[running, reporting])
    services.campaign_transition(actor=staff, campaign=c, action="open")
    services.campaign_collect(actor=staff, campaign=c)
    services.campaign_compute(actor=staff, campaign=c)
    # the silent project lacks 晶圆直径 (due at the first milestone); 微管密度 is not due before the second
    with pytest.raises(ApplicationError, match="1 个项目有任务书考核指标缺少达到值"):
        services.campaign_transition(actor=staff, campaign=c, action="publish")
    page = client_for(staff).get(reverse("evaluation:publish", args=[c.pk])).content.decode()
    assert "沉默的项目" in page and "通知各项目负责人" in page
    assert "缺少达到值：晶圆直径）" in page and "微管密度" not in page and "按期报告的项目" not in page
    r = client_for(staff).post(reverse("evaluation:publish", args=[c.pk]), {"missing": "grade"})
    assert r.status_code == 302
    assert {x.entry.contract_id for x in selectors.results(campaign=c)} == {reporting.pk, running.pk}
    scope = AuditEvent.objects.for_object(c).get(action="campaign.publish_scope")
    assert scope.after == {"missing": "grade", "projects": ["沉默的项目"]}


def test_midterm_an_indicator_not_yet_due_is_left_out_not_missing(staff, client_for):
    """Mid-term: one indicator due and reported, one due and not reported (缺失), one whose only milestone
    is due next year (未到期): out of the score, the two due ones share the weight, not named as missing."""
    p = ContractFactory(running=True, title="三项指标的项目")
    due_first_milestone(p)
    d, m = p.indicators.order_by("seq")
    later = ContractIndicator.objects.create(contract=p, seq=3, name="良率", unit="%", baseline=50, target=90)
    m1, m2 = p.milestones.get(seq=1), p.milestones.get(seq=2)
    MilestoneValue.objects.filter(milestone=m1, indicator=d).update(reported=6)  # on target: 100
    MilestoneValue.objects.create(milestone=m1, indicator=m, target=3)  # due, never reported
    MilestoneValue.objects.create(milestone=m2, indicator=later, target=90, reported=60)  # early, not due
    c = project_campaign(staff, stage="midterm")
    services.tree_add_default(actor=staff, campaign=c)
    services.contracts_set(actor=staff, campaign=c, contracts=[p])
    services.campaign_transition(actor=staff, campaign=c, action="open")
    counts = services.campaign_collect(actor=staff, campaign=c)
    assert counts["not_due"] == 1
    e = c.entries.get()
    s = e.scores.get(node__name="良率")
    assert (s.source, s.value, s.detail["not_due"]["seq"]) == ("not_due", None, 2)
    assert selectors.missing_indicators(campaign=c) == {e.pk: ["微管密度"]}
    comp = services.campaign_compute(actor=staff, campaign=c)
    row = comp.outputs["results"][0]
    codes = {n.name: n.code for n in e.own_nodes.all()}
    assert set(row["weights"]) == {codes["晶圆直径"], codes["微管密度"]}
    # the two due ones share the group's effective weight (50 % × 70 % = 0.35) half and half
    assert row["weights"][codes["晶圆直径"]] == row["weights"][codes["微管密度"]] == 0.175
    assert comp.inputs["entries"][0]["not_due"] == [codes["良率"]]
    assert services.computation_verify(computation=comp)
    page = client_for(staff).get(reverse("evaluation:publish", args=[c.pk])).content.decode()
    assert "缺少达到值：微管密度）" in page and "良率" not in page
    entry_page = client_for(staff).get(e.get_absolute_url()).content.decode()
    due = date_text(m2.due_date)
    assert f"未到期（第2期节点 {due} 考核）" in entry_page
    own = {i["name"]: i for i in selectors.own_leaves(entry=e)}
    assert own["良率"]["effective"] is None and not own["良率"]["missing"]
    assert own["微管密度"]["missing"] and own["晶圆直径"]["score"] == 100.0


def test_midterm_a_project_with_no_indicator_due_is_scored_without_the_group(staff):
    p = ContractFactory(running=True, title="尚无到期指标的项目")
    today = timezone.localdate()
    p.milestones.update(due_date=today + datetime.timedelta(days=30))
    c = project_campaign(staff, stage="midterm")
    services.tree_add_default(actor=staff, campaign=c)
    services.contracts_set(actor=staff, campaign=c, contracts=[p])
    services.campaign_transition(actor=staff, campaign=c, action="open")
    assert services.campaign_collect(actor=staff, campaign=c)["not_due"] == 2
    comp = services.campaign_compute(actor=staff, campaign=c)
    entry = comp.inputs["entries"][0]
    assert entry["left_out"] == ["indicators"] and "nodes" not in entry
    assert comp.outputs["results"][0]["scores"] and services.computation_verify(computation=comp)
    assert selectors.entries_without_data(campaign=c) == []


def test_at_acceptance_every_indicator_is_due(staff, accepted):
    a, _b = accepted
    a.milestones.update(due_date=timezone.localdate() + datetime.timedelta(days=30))
    f = projects.project_facts(contract_ids=[a.pk], stage="acceptance", on=timezone.localdate())[a.pk]
    assert f.not_due == {} and all(v[0] is not None for v in f.achieved.values())


def test_migration_0003_splits_a_draft_campaigns_averaged_leaf(staff, accepted):
    import importlib

    from django.apps import apps

    a, b = accepted
    c = project_campaign(staff)
    services.contracts_set(actor=staff, campaign=c, contracts=[a, b])
    leaf = IndicatorNode.objects.create(
        campaign=c,
        code="ind",
        name="考核指标",
        weight=1,
        rule="linear",
        source="indicators",
        params={"min": 0},
    )
    opened = project_campaign(staff, name="已开始的评价")
    services.contracts_set(actor=staff, campaign=opened, contracts=[a])
    IndicatorNode.objects.create(
        campaign=opened, code="ind", name="考核指标", weight=1, rule="linear", source="indicators"
    )
    Campaign.objects.filter(pk=opened.pk).update(status="collecting")
    mig = importlib.import_module("kechuang.evaluation.migrations.0003_contract_indicator_nodes")
    mig.split_averaged_leaves(apps, None)
    leaf.refresh_from_db()
    assert leaf.rule == "group" and leaf.params == {}
    made = c.nodes.filter(parent=leaf).order_by("entry__contract__pk", "order")
    assert made.count() == 4 and {n.rule for n in made} == {"completion"}
    d = made.get(entry__contract=a, name="晶圆直径")
    assert d.params == {"target": "8", "baseline": "4", "higher_is_better": True, "unit": "英寸"}
    assert d.code == f"ind-{d.contract_indicator_id}"
    assert opened.nodes.get(code="ind").rule == "linear" and opened.nodes.count() == 1


def test_leaving_out_projects_without_a_value_of_every_indicator(staff, accepted, client_for):
    a, b = accepted
    partial = ContractFactory(title="缺一项的项目")
    accept(partial, {"晶圆直径": "8"})
    c = project_campaign(staff)
    services.tree_add_default(actor=staff, campaign=c)
    services.contracts_set(actor=staff, campaign=c, contracts=[a, b, partial])
    services.campaign_transition(actor=staff, campaign=c, action="open")
    services.campaign_collect(actor=staff, campaign=c)
    services.campaign_compute(actor=staff, campaign=c)
    r = client_for(staff).post(reverse("evaluation:publish", args=[c.pk]), {"missing": "leave_out"})
    assert r.status_code == 302
    assert {x.entry.contract_id for x in selectors.results(campaign=c)} == {a.pk, b.pk}
    scope = AuditEvent.objects.for_object(c).get(action="campaign.publish_scope")
    assert scope.after == {"missing": "leave_out", "projects": ["缺一项的项目"]}


def test_a_contract_with_three_indicators_gives_three_leaves_with_their_scores(staff, accepted):
    a, _b = accepted
    three = ContractFactory(title="三项指标的项目")
    ContractIndicator.objects.create(contract=three, seq=3, name="良品率", unit="%", target=90)
    accept(three, {"晶圆直径": "6", "微管密度": "1", "良品率": "45"})
    c = project_campaign(staff)
    services.tree_add_default(actor=staff, campaign=c)
    services.contracts_set(actor=staff, campaign=c, contracts=[three, a])
    e = c.entries.get(contract=three)
    leaves = list(e.own_nodes.order_by("order"))
    assert [(n.name, n.rule, n.parent.code) for n in leaves] == [
        ("晶圆直径", "completion", "indicators"),
        ("微管密度", "completion", "indicators"),
        ("良品率", "completion", "indicators"),
    ]
    assert leaves[0].params == {
        "target": "8",
        "baseline": "4",
        "higher_is_better": True,
        "unit": "英寸",
        "unit_en": "",  # none typed: English pages show core.units' "inches" (usable12)
    }
    assert leaves[1].params["higher_is_better"] is False
    # staff weigh 良品率 double before the evaluation opens
    services.node_weight_set(actor=staff, node=leaves[2], weight="2")
    services.campaign_transition(actor=staff, campaign=c, action="open")
    services.campaign_collect(actor=staff, campaign=c)
    comp = services.campaign_compute(actor=staff, campaign=c)
    assert comp.method == "weighted-tree-v2" and services.computation_verify(computation=comp)
    row = next(r for r in comp.outputs["results"] if r["id"] == e.pk)
    codes = [n.code for n in leaves]
    # 6 of 4→8: 50; 1 reaches the target 1 (lower is better): 100; 45 of 0→90: 50
    assert [row["scores"][code] for code in codes] == [50.0, 100.0, 50.0]
    # goals 0.5 × indicators 0.7 = 0.35, shared 1 : 1 : 2
    assert [row["weights"][code] for code in codes] == [0.0875, 0.0875, 0.175]
    # a contract's indicators are its own: the other project has its two leaves, not these three
    ea = c.entries.get(contract=a)
    assert set(next(r for r in comp.outputs["results"] if r["id"] == ea.pk)["weights"]) == {
        n.code for n in ea.own_nodes.all()
    }
    assert sorted(len(x.get("nodes", [])) for x in comp.inputs["entries"]) == [2, 3]


def test_a_missing_achieved_value_is_shown_as_missing_not_zero(staff, accepted, client_for):
    a, _b = accepted
    partial = ContractFactory(title="缺一项的项目")
    accept(partial, {"晶圆直径": "8"})
    c = project_campaign(staff)
    services.tree_add_default(actor=staff, campaign=c)
    services.contracts_set(actor=staff, campaign=c, contracts=[a, partial])
    services.campaign_transition(actor=staff, campaign=c, action="open")
    services.campaign_collect(actor=staff, campaign=c)
    e = c.entries.get(contract=partial)
    missing = e.scores.get(node__name="微管密度")
    assert missing.value is None and missing.source == "missing"
    assert missing.note == "验收未记录该指标的达到值"
    row = {i["name"]: i for i in selectors.own_leaves(entry=e)}
    assert row["微管密度"]["missing"] and row["微管密度"]["score"] is None
    assert row["晶圆直径"]["score"] == 100.0
    page = client_for(staff).get(e.get_absolute_url()).content.decode()
    assert "缺失" in page and "验收未记录该指标的达到值" in page
    services.campaign_compute(actor=staff, campaign=c)
    # the confirmation before publishing names the project and the indicator, and says it is not 0
    page = client_for(staff).get(reverse("evaluation:publish", args=[c.pk])).content.decode()
    assert "缺一项的项目" in page and "缺少达到值：微管密度" in page
    assert "缺失的指标计 0 分" in page
    assert "碳化硅单晶衬底" not in page
    with pytest.raises(ApplicationError, match="缺失，不是 0"):
        services.campaign_publish(actor=staff, campaign=c)


def test_weights_of_the_contract_indicators_are_staffs_before_the_evaluation_opens(
    staff, accepted, client_for
):
    a, _b = accepted
    c = project_campaign(staff)
    services.tree_add_default(actor=staff, campaign=c)
    services.contracts_set(actor=staff, campaign=c, contracts=[a])
    node = c.nodes.get(entry__contract=a, name="晶圆直径")
    url = reverse("evaluation:node-weight", args=[c.pk, node.pk])
    entry_url = node.entry.get_absolute_url()
    # refused with the reason, the typed weight kept (400)
    r = client_for(staff).post(url, {"weight": "很多"})
    assert r.status_code == 400
    body = r.content.decode()
    assert "权重必须是数字" in body and 'value="很多"' in body
    r = client_for(staff).post(url, {"weight": "3"})
    assert r.status_code == 302 and r.url == entry_url
    node.refresh_from_db()
    assert node.weight == Decimal("3")
    ev = AuditEvent.objects.for_object(c).get(action="campaign.node_weight")
    assert ev.after["node"] == "晶圆直径" and ev.after["of_project"] == "碳化硅单晶衬底"
    # the leader and the commissioner may not
    for user in (a.leader, a.commissioner):
        assert client_for(user).post(url, {"weight": "9"}).status_code == 403
    # a contract indicator is not removed alone, nor added by hand
    with pytest.raises(ApplicationError, match="不能单独删除"):
        services.node_remove(actor=staff, node=node)
    with pytest.raises(ApplicationError, match="逐项生成"):
        services.node_add(actor=staff, campaign=c, code="x", name="x", weight=1, rule="completion")
    # every sibling 0 is refused
    services.node_weight_set(actor=staff, node=c.nodes.get(entry__contract=a, name="微管密度"), weight=0)
    with pytest.raises(ApplicationError, match="权重之和"):
        services.node_weight_set(actor=staff, node=node, weight=0)
    services.campaign_transition(actor=staff, campaign=c, action="open")
    with pytest.raises(ApplicationError, match="不允许"):
        services.node_weight_set(actor=staff, node=node, weight=1)
    page = client_for(staff).get(entry_url).content.decode()
    assert "评价开始后权重不能再改" in page


def test_an_evaluation_computed_before_the_indicators_were_leaves_still_reads_and_verifies(staff, accepted):
    """An older campaign keeps its averaged leaf: collected, computed (weighted-tree-v1) and verified."""
    a, b = accepted
    c = project_campaign(staff)
    services.contracts_set(actor=staff, campaign=c, contracts=[a, b])
    IndicatorNode.objects.create(
        campaign=c,
        code="indicators",
        name="考核指标完成度",
        weight=1,
        rule="linear",
        source="indicators",
        params={"min": 0, "max": 100},
    )
    services.campaign_transition(actor=staff, campaign=c, action="open")
    services.campaign_collect(actor=staff, campaign=c)
    inputs = services.campaign_inputs(c)
    inputs["method"] = "weighted-tree-v1"
    from kechuang.evaluation import scoring

    out = scoring.evaluate(inputs)
    assert out["method"] == "weighted-tree-v1" and "weights" not in out["results"][0]
    assert [(r["name"], r["total"]) for r in out["results"]] == [
        ("碳化硅单晶衬底", 100.0),
        ("氮化镓外延片", 50.0),
    ]
    assert not c.nodes.filter(entry__isnull=False).exists()


# --- pages --------------------------------------------------------------------------------------------


def test_staff_create_a_project_evaluation_on_the_page_and_a_refusal_keeps_the_input(staff, client_for):
    client = client_for(staff)
    r = client.post(
        reverse("evaluation:create"),
        {"name": "中期绩效评价", "subject": "project", "stage": "", "year": 2026, "grading": "thresholds"},
    )
    assert r.status_code == 400 and "评价阶段" in r.content.decode()
    assert "中期绩效评价" in r.content.decode() and not Campaign.objects.exists()
    r = client.post(
        reverse("evaluation:create"),
        {
            "name": "中期绩效评价",
            "subject": "project",
            "stage": "midterm",
            "year": 2026,
            "grading": "thresholds",
        },
    )
    c = Campaign.objects.get()
    assert r.status_code == 302 and (c.subject, c.stage) == ("project", "midterm")
    page = client.get(c.get_absolute_url()).content.decode()
    assert "参评项目" in page and "pick/projects" in page


def test_picking_projects_on_the_page_refused_with_the_reason_and_the_picks_kept(staff, accepted, client_for):
    a, _b = accepted
    running = ContractFactory(running=True, title="运行中的项目")
    c = project_campaign(staff)
    client = client_for(staff)
    r = client.post(reverse("evaluation:entries", args=[c.pk]), {"contracts": [a.pk, running.pk]})
    assert r.status_code == 400
    body = r.content.decode()
    assert "尚未验收" in body and "运行中的项目" in body and "碳化硅单晶衬底" in body
    assert not Entry.objects.exists()
    r = client.post(reverse("evaluation:entries", args=[c.pk]), {"contracts": [a.pk]})
    assert r.status_code == 302 and Entry.objects.get().contract_id == a.pk
    # the picker answers staff with the projects by title, not by code
    found = client.get(reverse("web:pick-projects"), {"q": "碳化硅"}).json()
    assert any("碳化硅单晶衬底" in str(o) for o in found["results"])


def test_only_staff_run_project_evaluations(staff, accepted, client_for, api_for):
    a, _b = accepted
    c = project_campaign(staff)
    for user in (a.commissioner, a.leader):
        assert (
            client_for(user)
            .post(reverse("evaluation:entries", args=[c.pk]), {"contracts": [a.pk]})
            .status_code
            == 403
        )
        r = api_for(user).put(
            f"/api/evaluation/campaigns/{c.pk}/contracts/", {"contracts": [a.pk]}, format="json"
        )
        assert r.status_code == 403
    assert client_for(a.leader).get(reverse("web:pick-projects"), {"q": "碳化硅"}).status_code == 403
    assert not Entry.objects.exists()


def test_the_api_creates_a_project_evaluation_and_sets_its_projects(staff, accepted, api_for):
    a, b = accepted
    api = api_for(staff)
    r = api.post(
        "/api/evaluation/campaigns/",
        {"name": "验收后绩效评价", "year": 2026, "subject": "project", "stage": "acceptance"},
        format="json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = api.post(
        "/api/evaluation/campaigns/", {"name": "无阶段", "year": 2026, "subject": "project"}, format="json"
    )
    assert r.status_code == 400 and "评价阶段" in str(r.json())
    r = api.put(f"/api/evaluation/campaigns/{pk}/contracts/", {"contracts": [a.pk, 987654321]}, format="json")
    assert r.status_code == 400
    r = api.put(f"/api/evaluation/campaigns/{pk}/contracts/", {"contracts": [a.pk, b.pk]}, format="json")
    assert r.status_code == 200 and {e["contract"] for e in r.json()} == {a.pk, b.pk}
    assert {e["name"] for e in r.json()} == {"碳化硅单晶衬底", "氮化镓外延片"}


def test_collected_notes_are_kept_in_chinese_and_read_in_the_pages_language(
    staff, accepted, client_for, english
):
    """A raw value's note written by the collection (“2/2 个里程碑已核验”) is kept in Chinese, even when an
    English reader collects, and reads in English on an English page; a note typed by hand as typed."""
    from django.utils import translation

    a, b = accepted
    c = project_campaign(staff)
    services.tree_add_default(actor=staff, campaign=c)
    services.contracts_set(actor=staff, campaign=c, contracts=[a, b])
    services.campaign_transition(actor=staff, campaign=c, action="open")
    with translation.override("en"):
        services.campaign_collect(actor=staff, campaign=c)
    score = selectors.score_table(campaign=c)[c.entries.get(contract=a).pk]["milestones"]
    assert score.note == "2/2 个里程碑已核验"
    with translation.override("en"):
        assert score.note_text == "2 of 2 milestones verified"
    assert score.note_text == "2/2 个里程碑已核验"
    score.note = "2/2 个里程碑已核验（手工）"
    with translation.override("en"):
        assert score.note_text == "2/2 个里程碑已核验（手工）"
    client = client_for(staff)
    url = c.entries.get(contract=a).get_absolute_url()
    assert "<td>2/2 个里程碑已核验</td>" in client.get(url).content.decode()
    english(client)
    en = client.get(url).content.decode()
    assert "<td>2 of 2 milestones verified</td>" in en and "里程碑已核验" not in en
