"""A campaign end to end: tree, entries, expert scores through the review app (host-unit experts kept
out), collection from accepted yearly reports, computation by hand, reproducibility, publication and who
sees what."""

import datetime

import pytest

from kechuang.accounts.tests.factories import UnitFactory, UserFactory
from kechuang.core.exceptions import ApplicationError, InvalidTransition, PermissionDenied
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role
from kechuang.evaluation import permissions, selectors, services
from kechuang.evaluation.models import Campaign, Computation, Entry
from kechuang.platforms.tests.factories import PlatformFactory, YearlyReportFactory
from kechuang.review import services as review_services
from kechuang.review.models import Assignment, ExpertProfile
from kechuang.review.tests.factories import ExpertProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(staff):
    platforms = [PlatformFactory(name=f"参评平台{i}", host=UnitFactory()) for i in range(3)]
    for i, p in enumerate(platforms):
        YearlyReportFactory(platform=p, year=2022, staff=20 * (i + 1), doctorates=5, accepted=True)
    # Platform 2 only has a report of another year: its report-based value is missing.
    YearlyReportFactory(platform=platforms[2], year=2021, staff=99, doctorates=5, accepted=True)
    platforms[2].reports.filter(year=2022).delete()
    c = services.campaign_create(
        actor=staff,
        name="2022年度省实验室评估",
        year=2022,
        grade_params={"excellent": 80, "good": 50, "pass": 30},
    )
    services.node_add(actor=staff, campaign=c, code="team", name="队伍", weight=1, rule="group")
    services.node_add(
        actor=staff,
        campaign=c,
        code="staff",
        name="固定人员",
        weight=1,
        parent="team",
        rule="linear",
        source="staff",
        params={"min": 0, "max": 100},
    )
    services.node_add(
        actor=staff, campaign=c, code="expert", name="专家评价", weight=1, rule="expert", params={"max": 100}
    )
    services.entries_set(actor=staff, campaign=c, platforms=platforms)
    return c, platforms


def _score_all(rnd, score_of):
    for a in Assignment.objects.filter(round=rnd, status="active").select_related("review", "subject"):
        r = review_services.review_open(actor=a.expert, review=a.review)
        r = review_services.review_save(
            actor=a.expert,
            review=r,
            expected_version=r.version,
            scores={"expert": score_of(a.subject.object_id)},
            comments="意见",
            opinion="公开意见",
            recommendation="support",
        )
        review_services.review_submit(actor=a.expert, review=r)


def test_campaign_end_to_end(staff, setup, client_for, api_for):
    c, platforms = setup
    with pytest.raises(InvalidTransition):
        services.campaign_transition(actor=staff, campaign=c, action="publish")
    services.campaign_transition(actor=staff, campaign=c, action="open")
    host_expert = ExpertProfileFactory(user__unit=platforms[0].host)
    others = [ExpertProfileFactory() for _ in range(3)]
    pool = ExpertProfile.objects.filter(pk__in=[host_expert.pk, *[o.pk for o in others]])
    rnd = services.campaign_review_start(actor=staff, campaign=c, k=2, experts=pool)
    review_services.round_assign(actor=staff, round=rnd)
    entry0 = c.entries.get(platform=platforms[0])
    assigned0 = set(
        Assignment.objects.filter(round=rnd, subject__object_id=entry0.pk).values_list("expert_id", flat=True)
    )
    assert host_expert.user_id not in assigned0 and len(assigned0) == 2
    review_services.round_transition(actor=staff, round=rnd, action="start")
    entries = {e.pk: i for i, e in enumerate(c.entries.order_by("platform__code"))}
    _score_all(rnd, lambda entry_id: 60 + 10 * entries[entry_id])  # 60, 70, 80
    counts = services.campaign_collect(actor=staff, campaign=c)
    assert counts == {"report": 2, "expert": 3, "missing": 1}
    comp = services.campaign_compute(actor=staff, campaign=c)
    c.refresh_from_db()
    assert c.status == "computed"
    # Weights 0.5/0.5. Totals: 0.5*20 + 0.5*60 = 40; 0.5*40 + 0.5*70 = 55; 0.5*0 (no 2022 report) + 0.5*80 = 40.
    rows = [(r.entry.platform.name, float(r.total), r.rank, r.grade) for r in selectors.results(campaign=c)]
    assert rows == [
        ("参评平台1", 55.0, 1, "good"),
        ("参评平台0", 40.0, 2, "pass"),
        ("参评平台2", 40.0, 2, "pass"),
    ]
    assert services.computation_verify(computation=comp)
    assert comp.inputs["entries"][2]["values"] == {"staff": None, "expert": 80.0}
    # Tampering with a stored output is detected.
    Computation.objects.filter(pk=comp.pk).update(outputs={**comp.outputs, "results": []})
    comp.refresh_from_db()
    assert not services.computation_verify(computation=comp)

    # Before publication an expert sees only the entries they score, pages and API alike. The host-unit
    # expert can never hold entry 0, so they see fewer than all.
    expert_user = host_expert.user
    mine = set(
        Assignment.objects.filter(round=rnd, expert=expert_user, status="active").values_list(
            "subject__object_id", flat=True
        )
    )
    assert entry0.pk not in mine
    listed = api_for(expert_user).get("/api/evaluation/entries/").json()["results"]
    assert {e["id"] for e in listed} == mine
    for e in c.entries.all():
        assert client_for(expert_user).get(e.get_absolute_url()).status_code == (200 if e.pk in mine else 404)
    assert client_for(expert_user).get(f"/api/evaluation/campaigns/{c.pk}/results/").json()["count"] == 0

    # Before publication the public sees nothing; after, the results.
    anon = client_for(None)
    assert anon.get(c.get_absolute_url()).status_code == 404
    services.campaign_compute(actor=staff, campaign=c)
    with pytest.raises(ApplicationError) as refused:  # platform 2 has no 2022 report: staff must choose
        services.campaign_transition(actor=staff, campaign=c, action="publish")
    assert refused.value.code == "missing_reports" and "1 个平台没有 2022 年度报告" in str(
        refused.value.message
    )
    services.campaign_transition(actor=staff, campaign=c, action="publish", missing=services.MISSING_GRADE)
    page = anon.get(c.get_absolute_url())
    assert (
        page.status_code == 200 and "参评平台1" in page.content.decode() and "55.00" in page.content.decode()
    )
    data = client_for(None).get(f"/api/evaluation/campaigns/{c.pk}/results/").json()
    assert [r["total"] for r in data["results"]] == ["55.00", "40.00", "40.00"]
    for action in (
        "campaign.create",
        "campaign.open",
        "campaign.review_start",
        "campaign.collect",
        "campaign.compute",
        "campaign.computed",
        "campaign.publish",
    ):
        assert AuditEvent.objects.for_object(c).filter(action=action).exists(), action

    # An expert sees only the entries they score.
    expert_user = others[0].user
    mine = set(permissions.entries_scored_by(expert_user).values_list("pk", flat=True))
    theirs = set(
        Assignment.objects.filter(round=rnd, expert=expert_user).values_list("subject__object_id", flat=True)
    )
    assert mine == theirs


def test_entry_is_reviewable_with_host_unit():
    p = PlatformFactory()
    e = Entry.objects.create(campaign=Campaign.objects.create(name="x", year=2022), platform=p)
    subject = e.review_subject()
    assert p.host_id in subject.unit_ids and p.name in subject.title


def test_a_platforms_discipline_names_reach_the_review_as_codes():
    """A platform's 学科领域 are names (交通运输工程, 电磁学); the expert's page read 未知学科（交通运输工程）
    since the review takes GB/T 13745 codes (found walking the demo as staff): a name of the table is its
    code, another name a keyword."""
    from kechuang.core import disciplines

    p = PlatformFactory(disciplines=["交通运输工程", "电磁学", "磁浮交通"], industries=["轨道交通"])
    e = Entry.objects.create(campaign=Campaign.objects.create(name="x", year=2022), platform=p)
    subject = e.review_subject()
    assert subject.disciplines == ("580", "140.35")
    assert disciplines.labels(subject.disciplines)[0] == "交通运输工程"
    assert subject.keywords == ("轨道交通", "磁浮交通")


def test_rules_are_checked_when_nodes_are_added(staff):
    c = services.campaign_create(actor=staff, name="c", year=2022)
    with pytest.raises(ApplicationError, match="数据字段"):
        services.node_add(
            actor=staff, campaign=c, code="x", name="x", weight=1, rule="linear", source="colour"
        )
    with pytest.raises(ApplicationError, match="规则参数"):
        services.node_add(
            actor=staff,
            campaign=c,
            code="x",
            name="x",
            weight=1,
            rule="linear",
            source="staff",
            params={"max": -1},
        )
    with pytest.raises(ApplicationError, match="定级参数"):
        services.campaign_create(actor=staff, name="d", year=2022, grade_params={"excellent": 90})
    with pytest.raises(InvalidTransition, match="参评平台"):
        services.campaign_transition(actor=staff, campaign=c, action="open")


def test_only_staff_run_campaigns(operator, expert, commissioner, applicant, client_for):
    for user in (operator, expert, commissioner, applicant):
        with pytest.raises(PermissionDenied):
            services.campaign_create(actor=user, name="x", year=2022)
        assert client_for(user).get("/evaluation/new/").status_code == 403
        assert client_for(user).post("/evaluation/1/action/", {"action": "open"}).status_code == 403


def test_unpublished_campaign_and_entries_hidden(staff, client_for, make_user):
    e = Entry.objects.create(
        campaign=Campaign.objects.create(name="内部", year=2022, status="computed"),
        platform=PlatformFactory(),
    )
    for user in (None, make_user(Role.OPERATOR), make_user(Role.EXPERT), make_user(Role.APPLICANT)):
        c = client_for(user)
        assert c.get(e.campaign.get_absolute_url()).status_code == 404
        assert c.get(e.get_absolute_url()).status_code == 404
    assert client_for(staff).get(e.campaign.get_absolute_url()).status_code == 200
    assert client_for(make_user(Role.COMMISSIONER)).get(e.get_absolute_url()).status_code == 200
    assert client_for(None).get("/evaluation/").status_code == 200
    assert client_for(UserFactory(roles=[Role.STAFF])).get("/evaluation/").status_code == 200
    _ = datetime
