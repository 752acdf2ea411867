"""A joint application (联合揭榜, issue #13.11) through the real web UI: the applicant picks a partner unit with
the unit picker, gives it a role, adds a team member from it — the member's 所属单位 lists the partner as soon
as it is picked — and saves; the application shows its units with their roles. The partner unit's user then
reads it, with no button to change it. Screenshots: artifacts/screenshots/test_joint_application-*.png."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_joint_application(pages, make_user):
    from kechuang.challenges.models import Application
    from kechuang.challenges.tests.factories import ChallengeFactory

    firm = UnitFactory(name="晋阳碳化硅半导体有限公司", city="太原")
    university = UnitFactory(name="北方材料大学", university=True, city="大同")
    make_user(Role.APPLICANT, username="jt_applicant", full_name="赵挂帅", unit=firm)
    make_user(Role.APPLICANT, username="jt_partner", full_name="钱老师", unit=university)
    ch = ChallengeFactory(
        published=True,
        code="JB-2026-111",
        title="碳化硅外延片缺陷控制",
        budget_ceiling=Decimal("1000"),
        deadline=timezone.now() + datetime.timedelta(days=30),
    )
    p = pages
    p.who = "applicant"
    p.login("jt_applicant")
    p.goto(f"/challenges/{ch.pk}/apply/", "application-form")
    f = p.page
    f.fill("#id_title", "碳化硅外延缺陷联合攻关")
    f.fill("#id_plan", "企业牵头，高校负责缺陷表征。")
    f.fill("#id_budget_requested", "600")
    f.fill("#id_budget_self", "100")
    # The partner: picked from what the search finds as the applicant types, then its role and share.
    f.locator("#id_partners_text-0-unit-ts-control").click()
    f.keyboard.type("北方材料")
    f.locator(".ts-dropdown .option", has_text="北方材料大学").click()
    f.select_option("#id_partners_text-0-role", label="参与单位")
    f.fill("#id_partners_text-0-duty", "缺陷表征与机理研究")
    f.fill("#id_partners_text-0-budget", "150")
    p.shot("partner-picked")
    # A team member from the partner: the unit just picked is already a choice of 所属单位.
    f.fill("#id_team_text-0-name", "孙教授")
    f.select_option("#id_team_text-0-unit", label="北方材料大学")
    f.fill("#id_team_text-0-title", "教授")
    f.locator("[data-rows=team_text] [data-add-row]").click()
    f.fill("#id_team_text-1-name", "吴工")
    assert f.eval_on_selector("#id_team_text-1-unit", "el => el.selectedOptions[0].text").startswith(
        "晋阳碳化硅半导体有限公司"
    )  # a new member is of the lead unit until told otherwise
    f.fill("#id_milestones_text-0-title", "缺陷密度减半")
    f.fill("#id_milestones_text-0-month", "12")
    f.fill("#id_milestones_text-0-tranche", "600")
    p.shot("team-from-partner")
    p.click("main form button[type=submit]", "application-saved")
    assert "已保存为草稿" in p.messages()
    units = f.inner_text("#partners")
    assert "北方材料大学" in units and "参与单位" in units and "牵头单位" in units and "150 万元" in units
    app = Application.objects.get(title="碳化硅外延缺陷联合攻关")
    assert [(x.unit, x.role) for x in app.partners.all()] == [(university, "participant")]
    assert {m.name: m.unit_id for m in app.members.all()} == {"孙教授": university.pk, "吴工": None}

    # The partner unit's user reads the application; only the lead unit changes or submits it.
    q = p.person("partner")
    q.login("jt_partner")
    q.goto(app.get_absolute_url(), "partner-reads-application")
    assert "北方材料大学" in q.page.inner_text("#partners")
    assert "申请由牵头单位“晋阳碳化硅半导体有限公司”修改和提交" in q.page.inner_text("main")  # says why
    assert q.page.locator("main a", has_text="修改申请").count() == 0
    assert q.page.locator("form[action$='/do/submit/']").count() == 0
