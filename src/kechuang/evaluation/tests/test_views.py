"""Running a campaign through its pages as staff; dashboards and the API as each role."""

import pytest

from kechuang.core.roles import Role
from kechuang.evaluation import dashboard, services
from kechuang.evaluation.models import Campaign
from kechuang.evaluation.tests.factories import CampaignFactory
from kechuang.platforms.tests.factories import PlatformFactory, YearlyReportFactory

pytestmark = pytest.mark.django_db


def test_staff_run_a_campaign_through_the_pages(client_for, staff, make_user):
    p1, p2 = PlatformFactory(kind="provincial_lab"), PlatformFactory(kind="provincial_lab")
    YearlyReportFactory(
        platform=p1,
        year=2022,
        staff=120,
        doctorates=40,
        papers=50,
        patents=20,
        transferred=5,
        shared_hours=2000,
        accepted=True,
    )
    YearlyReportFactory(
        platform=p2,
        year=2022,
        staff=20,
        doctorates=0,
        papers=0,
        patents=0,
        transferred=0,
        shared_hours=0,
        accepted=True,
    )
    c = client_for(staff)
    r = c.post(
        "/evaluation/new/", {"name": "页面评估", "year": 2022, "grading": "thresholds", "grade_params": ""}
    )
    campaign = Campaign.objects.get(name="页面评估")
    assert r.status_code == 302 and r["Location"] == campaign.get_absolute_url()
    assert c.post(f"/evaluation/{campaign.pk}/tree-default/").status_code == 302
    extra = services.node_add(actor=staff, campaign=campaign, code="tmp", name="临时", weight=1, rule="group")
    services.node_add(
        actor=staff,
        campaign=campaign,
        code="tmp1",
        name="临时子项",
        weight=1,
        parent="tmp",
        rule="linear",
        source="staff",
        params={"min": 0, "max": 10},
    )
    # Irreversible: the page asks first; a post without that answer removes nothing and says why.
    page = c.get(campaign.get_absolute_url()).content.decode()
    assert "确认删除“临时”及其下级指标" in page
    r = c.post(f"/evaluation/{campaign.pk}/nodes/{extra.pk}/delete/", {"code": "tmp"})
    assert r.status_code == 400 and campaign.nodes.filter(code="tmp1").exists()
    assert "请在“删除”下确认" in r.content.decode() and '<details class="inline" open>' in r.content.decode()
    r = c.post(f"/evaluation/{campaign.pk}/nodes/{extra.pk}/delete/", {"confirm": "1", "code": "tmp"})
    assert r.status_code == 302
    assert not campaign.nodes.filter(code__startswith="tmp").exists()
    # the same removal again (a second click, another tab): who removed it and when (409), not a bare 404
    r = c.post(f"/evaluation/{campaign.pk}/nodes/{extra.pk}/delete/", {"confirm": "1", "code": "tmp"})
    assert r.status_code == 409 and "这个指标已由" in r.content.decode()
    assert c.post(f"/evaluation/{campaign.pk}/nodes/{extra.pk}/delete/", {"confirm": "1"}).status_code == 404
    # A linear rule without its full-score value: refused, shown again as typed with the reason.
    bad = c.post(
        f"/evaluation/{campaign.pk}/nodes/",
        {
            "code": "x",
            "name": "新增指标",
            "weight": "1",
            "rule": "linear",
            "source": "staff",
            "linear_min": "3",
        },
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "线性规则须填写得满分的值" in body and 'value="新增指标"' in body and 'value="3"' in body
    assert not campaign.nodes.filter(code="x").exists()
    assert c.post(f"/evaluation/{campaign.pk}/entries/", {"kind": "provincial_lab"}).status_code == 302
    assert campaign.entries.count() == 2
    for action in ("open", "collect", "compute"):
        assert c.post(f"/evaluation/{campaign.pk}/action/", {"action": action}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == "computed"
    page = c.get(campaign.get_absolute_url()).content.decode()
    # p1 reaches every report-based maximum: 30 + 40 + 10 = 80.00 (the expert 20 points are missing).
    assert "80.00" in page and "按保存的输入重算结果一致" in page
    # p2: staff 20 → 0, doctorates 0 → 40 (×0.18) = 7.2, nothing else: 7.20.
    assert "7.20" in page
    assert any("推进评估活动" in t.title for t in dashboard.tasks_for(staff))
    assert dashboard.tasks_for(make_user(Role.OPERATOR)) == []
    # Publishing asks first: every platform reported, so the confirmation asks nothing more.
    assert "确认发布" in c.get(f"/evaluation/{campaign.pk}/publish/").content.decode()
    assert c.post(f"/evaluation/{campaign.pk}/publish/").status_code == 302
    assert client_for(None).get(campaign.get_absolute_url()).status_code == 200
    assert dashboard.cards_for(None)[0].value == "1"
    export = client_for(None).get(campaign.get_absolute_url(), {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    for entry in campaign.entries.all():
        assert client_for(None).get(entry.get_absolute_url()).status_code == 200


def test_api_refuses_writes_to_non_staff(api_for, make_user, staff):
    campaign = services.campaign_create(actor=staff, name="API", year=2022)
    for role in (Role.OPERATOR, Role.EXPERT, Role.COMMISSIONER, Role.APPLICANT):
        api = api_for(make_user(role))
        assert (
            api.post("/api/evaluation/campaigns/", {"name": "x", "year": 2022}, format="json").status_code
            == 403
        )
        assert (
            api.post(
                f"/api/evaluation/campaigns/{campaign.pk}/actions/",
                {"confirm": True, "action": "open"},
                format="json",
            ).status_code
            == 403
        )
        assert (
            api.put(
                f"/api/evaluation/campaigns/{campaign.pk}/entries/", {"platforms": []}, format="json"
            ).status_code
            == 403
        )
    assert api_for(None).get(f"/api/evaluation/campaigns/{campaign.pk}/").status_code == 404
    assert (
        api_for(make_user(Role.COMMISSIONER)).get(f"/api/evaluation/campaigns/{campaign.pk}/").status_code
        == 200
    )
    api = api_for(staff)
    r = api.post(
        f"/api/evaluation/campaigns/{campaign.pk}/nodes/",
        {
            "code": "s",
            "name": "人员",
            "weight": "1",
            "rule": "linear",
            "source": "staff",
            "params": {"min": 0, "max": 10},
        },
        format="json",
    )
    assert r.status_code == 201
    p = PlatformFactory()
    assert (
        api.put(
            f"/api/evaluation/campaigns/{campaign.pk}/entries/", {"platforms": [p.pk, 99999]}, format="json"
        ).status_code
        == 400
    )
    for bad in ([p.pk, 2**70], [{"x": 1}], "1,2", [True]):  # found by fuzzing: 500 before
        r = api.put(f"/api/evaluation/campaigns/{campaign.pk}/entries/", {"platforms": bad}, format="json")
        assert r.status_code == 400 and r.json()["error"]["fields"]["platforms"], bad
    assert (
        api.put(
            f"/api/evaluation/campaigns/{campaign.pk}/entries/", {"platforms": [p.pk]}, format="json"
        ).status_code
        == 200
    )
    refused = api.post(
        f"/api/evaluation/campaigns/{campaign.pk}/actions/",
        {"confirm": True, "action": "publish"},
        format="json",
    )
    assert refused.status_code == 409 and refused.json()["error"]["message"]


def test_score_correction_via_api(api_for, staff, make_user):
    p = PlatformFactory()
    YearlyReportFactory(platform=p, year=2022, staff=40, accepted=True)
    c = services.campaign_create(actor=staff, name="更正", year=2022)
    services.node_add(
        actor=staff,
        campaign=c,
        code="s",
        name="人员",
        weight=1,
        rule="linear",
        source="staff",
        params={"min": 0, "max": 80},
    )
    services.entries_set(actor=staff, campaign=c, platforms=[p])
    services.campaign_transition(actor=staff, campaign=c, action="open")
    services.campaign_collect(actor=staff, campaign=c)
    entry = c.entries.get()
    url = f"/api/evaluation/campaigns/{c.pk}/scores/"
    assert (
        api_for(make_user(Role.OPERATOR))
        .post(url, {"entry": entry.pk, "node": "s", "value": 80, "note": "x"}, format="json")
        .status_code
        == 403
    )
    assert (
        api_for(staff)
        .post(url, {"entry": entry.pk, "node": "s", "value": 80, "note": ""}, format="json")
        .status_code
        == 400
    )
    assert (
        api_for(staff)
        .post(url, {"entry": entry.pk, "node": "nope", "value": 80, "note": "x"}, format="json")
        .status_code
        == 400
    )
    for bad in ({"x": 1}, 2**70, "abc"):  # found by fuzzing: a dict or a huge entry id answered 500
        r = api_for(staff).post(url, {"entry": bad, "node": "s", "value": 80, "note": "x"}, format="json")
        assert r.status_code == 400 and r.json()["error"]["fields"]["entry"], bad
    r = api_for(staff).post(
        url, {"entry": entry.pk, "node": "s", "value": 80, "note": "报告漏报兼职人员"}, format="json"
    )
    assert r.status_code == 200 and float(r.json()["value"]) == 80
    bad = api_for(staff).post(
        url, {"entry": entry.pk, "node": "s", "value": "abc", "note": "x"}, format="json"
    )
    assert bad.status_code == 400 and "数字" in bad.json()["error"]["fields"]["value"][0]
    comp = services.campaign_compute(actor=staff, campaign=c)
    assert comp.outputs["results"][0]["total"] == 100.0
    from kechuang.core.models import AuditEvent

    assert AuditEvent.objects.for_object(entry).filter(action="score.set", reason="报告漏报兼职人员").exists()


def test_rules_are_typed_per_kind_with_sources_by_their_chinese_names(client_for, staff):
    """Issue #13.1: no JSON, no field codes: threshold steps as rows, linear ends, an expert's full score."""
    from kechuang.core.formkinds import rows_post
    from kechuang.evaluation.display import source_label

    campaign = CampaignFactory()
    c = client_for(staff)
    group = services.node_add(
        actor=staff, campaign=campaign, code="g", name="人才队伍", weight=1, rule="group"
    )
    page = c.get(campaign.get_absolute_url()).content.decode()
    assert "JSON" not in page and "{&quot;" not in page
    assert f">{source_label('staff')}</option>" in page  # the data source by its Chinese name
    assert '<option value="g">人才队伍</option>' in page  # the parent chosen by name
    url = f"/evaluation/{campaign.pk}/nodes/"
    steps = rows_post(
        "steps",
        [{"value": "0", "score": "40"}, {"value": "10", "score": "60"}, {"value": "20", "score": "100"}],
    )
    r = c.post(
        url,
        {
            "code": "t",
            "name": "固定人员",
            "weight": "0.5",
            "parent": "g",
            "rule": "threshold",
            "source": "staff",
            **steps,
        },
    )
    assert r.status_code == 302
    node = campaign.nodes.get(code="t")
    assert node.parent == group and node.params == {"steps": [[0.0, 40.0], [10.0, 60.0], [20.0, 100.0]]}
    r = c.post(
        url,
        {
            "code": "l",
            "name": "线性项",
            "weight": "0.5",
            "rule": "linear",
            "source": "staff",
            "linear_min": "0",
            "linear_max": "50",
        },
    )
    assert r.status_code == 302 and campaign.nodes.get(code="l").params == {"min": 0.0, "max": 50.0}
    r = c.post(url, {"code": "e", "name": "专家项", "weight": "1", "rule": "expert", "expert_max": "10"})
    assert r.status_code == 302 and campaign.nodes.get(code="e").params == {"max": 10.0}
    # a threshold rule without steps is refused with the rows kept and the reason
    r = c.post(
        url,
        {
            "code": "t2",
            "name": "无分档",
            "weight": "1",
            "rule": "threshold",
            "source": "staff",
            **rows_post("steps", []),
        },
    )
    assert r.status_code == 400 and "阈值分档至少一档" in r.content.decode()
    bad_steps = rows_post("steps", [{"value": "5", "score": "一百"}])
    r = c.post(
        url,
        {"code": "t3", "name": "坏分档", "weight": "1", "rule": "threshold", "source": "staff", **bad_steps},
    )
    assert r.status_code == 400 and 'value="一百"' in r.content.decode()


def test_the_campaign_trail_reads_in_words(staff):
    """Issue #13.2: the campaign's audit trail names indicators, their parents and data sources by their
    names and its keys in words, never a code, a report field's code or a platform's number."""
    from kechuang.core.display import audit_lines
    from kechuang.core.models import AuditEvent

    campaign = CampaignFactory(year=2022)
    platform = PlatformFactory(name="碳化硅省实验室", kind="provincial_lab")
    group = services.node_add(actor=staff, campaign=campaign, code="capacity", name="创新能力", weight=30)
    services.node_add(
        actor=staff,
        campaign=campaign,
        code="staff",
        name="固定人员",
        weight=40,
        parent=group,
        rule="linear",
        source="staff",
        params={"min": 20, "max": 120},
    )
    services.entries_set(actor=staff, campaign=campaign, platforms=[platform])
    events = AuditEvent.objects.filter(object_id=str(campaign.pk)).order_by("pk")
    text = " ".join(f"{c.label}：{c.old}→{c.new}" for line in audit_lines(events) for c in line.changes)
    assert "上级指标：—→创新能力" in text and "数据来源：—→固定人员数" in text and "计分规则：—→线性" in text
    assert "碳化硅省实验室" in text
    for code in ("staff", "capacity", "linear", "source", "rule", "parent", "platforms"):
        assert code not in text, code


def test_an_indicator_added_without_a_short_name_gets_one(client_for, staff):
    """Issue #13.1: nobody must type a code: the indicator's short name is made when left empty."""
    campaign = CampaignFactory()
    services.node_add(actor=staff, campaign=campaign, code="i2", name="已有", weight=1, rule="group")
    c = client_for(staff)
    url = f"/evaluation/{campaign.pk}/nodes/"
    for name in ("专家综合评价", "第二项"):
        r = c.post(url, {"name": name, "weight": "1", "rule": "expert", "expert_max": "100"})
        assert r.status_code == 302
    assert sorted(campaign.nodes.values_list("code", flat=True)) == ["i2", "i3", "i4"]
    assert campaign.nodes.get(code="i3").name == "专家综合评价"


def test_a_grade_boundary_that_is_no_number_is_refused_with_the_input_kept(client_for, staff):
    """Once a 500 (the form's clean read a boundary its own field had refused)."""
    r = client_for(staff).post(
        "/evaluation/new/",
        {
            "name": "保留的名称",
            "year": "2025",
            "grading": "quota",
            "excellent": "x",
            "good": "0.3",
            "pass_": "",
        },
    )
    assert r.status_code in (200, 400)
    body = r.content.decode()
    assert "保留的名称" in body and 'value="x"' in body and "数字" in body
    assert not Campaign.objects.filter(name="保留的名称").exists()


def test_a_refused_step_comes_back_on_the_campaign_page_and_a_stale_one_says_who(
    client_for, staff, make_user
):
    """A weight of the common tree, a reopen without a reason, a second 'open': the campaign's page again with
    why beside the form and what was typed kept (400; they were messages after a redirect), or who already
    took the step and when, the reason typed kept (409)."""
    campaign = services.campaign_create(actor=staff, name="退回测试", year=2022)
    node = services.node_add(
        actor=staff,
        campaign=campaign,
        code="s",
        name="人员",
        weight=1,
        rule="linear",
        source="staff",
        params={"min": 0, "max": 10},
    )
    c = client_for(staff)
    r = c.post(f"/evaluation/{campaign.pk}/nodes/{node.pk}/weight/", {"weight": "-2"})
    body = r.content.decode()
    assert r.status_code == 400 and 'value="-2"' in body and 'aria-describedby="weight-refused"' in body
    r = c.post(f"/evaluation/{campaign.pk}/action/", {"action": "open"})  # no platforms yet
    assert r.status_code == 400 and "请先选择参评平台" in r.content.decode()
    services.entries_set(actor=staff, campaign=campaign, platforms=[PlatformFactory()])
    assert c.post(f"/evaluation/{campaign.pk}/action/", {"action": "open"}).status_code == 302
    other = client_for(make_user(Role.STAFF))
    r = other.post(f"/evaluation/{campaign.pk}/action/", {"action": "open"})
    assert r.status_code == 409 and "此事项已由" in r.content.decode()
    campaign.refresh_from_db()
    services.campaign_collect(actor=staff, campaign=campaign)
    services.campaign_compute(actor=staff, campaign=campaign)
    r = c.post(f"/evaluation/{campaign.pk}/action/", {"action": "reopen", "reason": "  "})
    body = r.content.decode()
    assert r.status_code == 400 and 'aria-describedby="action-refused"' in body
    assert (
        c.post(f"/evaluation/{campaign.pk}/action/", {"action": "reopen", "reason": "补录数据"}).status_code
        == 302
    )
    r = other.post(f"/evaluation/{campaign.pk}/action/", {"action": "reopen", "reason": "另一个理由"})
    body = r.content.decode()
    assert r.status_code == 409 and "另一个理由" in body and "重新采集" in body
    campaign.refresh_from_db()
    assert campaign.status == "collecting"
