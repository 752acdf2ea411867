"""Publishing results asks first (issue #13.3): platforms without a yearly report of the campaign's year
are named, and staff grade them on what they have, leave them out of the published grading, or cancel."""

import pytest

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.exceptions import ApplicationError
from kechuang.core.models import AuditEvent
from kechuang.evaluation import selectors, services
from kechuang.platforms.tests.factories import PlatformFactory, YearlyReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(staff):
    platforms = [PlatformFactory(name=f"实验室{i}", host=UnitFactory()) for i in range(3)]
    for i, p in enumerate(platforms[:2]):
        YearlyReportFactory(platform=p, year=2025, staff=40 * (i + 1), accepted=True)
    c = services.campaign_create(actor=staff, name="2025年度评估", year=2025)
    services.node_add(
        actor=staff,
        campaign=c,
        code="staff",
        name="固定人员",
        weight=1,
        rule="linear",
        source="staff",
        params={"min": 0, "max": 100},
    )
    services.entries_set(actor=staff, campaign=c, platforms=platforms)
    services.campaign_transition(actor=staff, campaign=c, action="open")
    services.campaign_collect(actor=staff, campaign=c)
    services.campaign_compute(actor=staff, campaign=c)
    c.refresh_from_db()
    return c, platforms


def test_the_confirmation_names_the_platforms_without_a_report(staff, computed, client_for):
    c, platforms = computed
    page = client_for(staff).get(f"/evaluation/{c.pk}/publish/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "1 个平台没有 2025 年度报告" in html and "实验室2" in html and "不纳入本次评级" in html
    # Pressing the old button leads here; posting without a choice publishes nothing and says why.
    assert (
        client_for(staff)
        .post(f"/evaluation/{c.pk}/action/", {"action": "publish"})
        .url.endswith(f"/evaluation/{c.pk}/publish/")
    )
    refused = client_for(staff).post(f"/evaluation/{c.pk}/publish/", {})
    c.refresh_from_db()
    assert refused.status_code == 400 and c.status == "computed"
    assert "请选择按不合格定级，或不纳入本次评级" in refused.content.decode()


def test_leaving_them_out_grades_only_the_platforms_that_reported(staff, computed, client_for):
    c, platforms = computed
    response = client_for(staff).post(f"/evaluation/{c.pk}/publish/", {"missing": "leave_out"})
    c.refresh_from_db()
    assert response.status_code == 302 and c.status == "published"
    graded = [(r.entry.platform.name, r.rank) for r in selectors.results(campaign=c)]
    assert graded == [("实验室1", 1), ("实验室0", 2)]  # 实验室2 is not graded publicly
    public = client_for(None).get(c.get_absolute_url()).content.decode()
    assert "实验室1" in public and "实验室2" not in public.split("评估结果")[-1]
    scope = AuditEvent.objects.for_object(c).get(action="campaign.publish_scope")
    assert scope.after == {"missing": "leave_out", "platforms": ["实验室2"]}


def test_grading_them_keeps_them_in_the_ranking(staff, computed):
    c, platforms = computed
    services.campaign_publish(actor=staff, campaign=c, missing=services.MISSING_GRADE)
    graded = {r.entry.platform.name: r.grade for r in selectors.results(campaign=c)}
    assert graded["实验室2"] == "fail" and len(graded) == 3


def test_leaving_out_every_platform_is_refused(staff, computed):
    c, platforms = computed
    for p in platforms[:2]:
        p.reports.all().delete()
    with pytest.raises(ApplicationError) as exc:
        services.campaign_publish(actor=staff, campaign=c, missing=services.MISSING_LEAVE_OUT)
    assert exc.value.code == "nothing_to_publish"


def test_a_campaign_not_computed_says_why(staff, client_for):
    c = services.campaign_create(actor=staff, name="草稿评估", year=2025)
    html = client_for(staff).get(f"/evaluation/{c.pk}/publish/").content.decode()
    assert "计算结果后方可发布" in html and "确认发布" not in html
