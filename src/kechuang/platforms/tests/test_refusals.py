"""The platforms' pages run their services through core.attempts.attempt, like every converted app: a business
refusal is said where the person looks, a permission refusal answers 403 (it was a message and a redirect)."""

import pytest

from kechuang.platforms.models import YearlyReport
from kechuang.platforms.tests.factories import PlatformFactory, YearlyReportFactory

pytestmark = pytest.mark.django_db


def test_a_report_transition_the_service_refuses_to_the_person_answers_403(client_for, staff):
    report = YearlyReportFactory(platform=PlatformFactory())
    r = client_for(staff).post(f"/platforms/reports/{report.pk}/transition/", {"action": "submit"})
    assert r.status_code == 403
    assert "只有该平台的运营人员可以提交年度报告。" in r.content.decode()
    assert YearlyReport.objects.get(pk=report.pk).status == report.status


def test_a_transition_refused_for_a_business_reason_is_said_on_the_report_page(client_for, staff):
    # a draft is not accepted: the report's page again with why (400; it was a message after a redirect)
    report = YearlyReportFactory(platform=PlatformFactory())
    r = client_for(staff).post(
        f"/platforms/reports/{report.pk}/transition/", {"action": "accept", "confirm": "1"}
    )
    assert r.status_code == 400 and 'class="form-errors"' in r.content.decode()


def test_returning_a_report_refused_keeps_the_reason_and_a_second_click_says_who_did(
    client_for, staff, make_user
):
    from kechuang.core.roles import Role

    report = YearlyReportFactory(platform=PlatformFactory())
    YearlyReport.objects.filter(pk=report.pk).update(status="submitted")
    url = f"/platforms/reports/{report.pk}/transition/"
    c = client_for(staff)
    r = c.post(url, {"action": "return", "reason": " ", "confirm": "1"})
    assert r.status_code == 400 and 'aria-invalid="true"' in r.content.decode()
    assert (
        c.post(url, {"action": "return", "reason": "研发投入数据缺附表", "confirm": "1"}).status_code == 302
    )
    r = client_for(make_user(Role.STAFF)).post(url, {"action": "accept"})
    assert r.status_code == 409 and "此事项已由" in r.content.decode()
    assert YearlyReport.objects.get(pk=report.pk).status == "returned"


def test_a_platform_step_refused_keeps_the_date_and_reason_and_a_second_click_says_who_did(
    client_for, staff, make_user
):
    from kechuang.core.roles import Role
    from kechuang.platforms.models import Platform

    p = PlatformFactory(status="operating")
    url = f"/platforms/{p.pk}/transition/"
    c = client_for(staff)
    r = c.post(url, {"action": "retire", "on": "", "reason": "依托单位撤销"})
    body = r.content.decode()
    assert r.status_code == 400 and "生效日期：" in body and 'value="依托单位撤销"' in body
    assert c.post(url, {"action": "retire", "on": "2024-01-01", "reason": "依托单位撤销"}).status_code == 302
    r = client_for(make_user(Role.STAFF)).post(
        url, {"action": "retire", "on": "2024-02-01", "reason": "重复"}
    )
    assert r.status_code == 409 and "此事项已由" in r.content.decode()
    assert Platform.objects.get(pk=p.pk).status == "retired"


def test_a_refused_new_platform_comes_back_400_with_what_was_typed(client_for, staff):
    # A page that refuses answers 4xx with the reason, the typed input kept (was 200: a refused form looked like
    # a fresh one to a test, a proxy's log and an assistive reader announcing the status).
    r = client_for(staff).post("/platforms/new/", {"name": "新材料省重点实验室（草稿）"})
    assert r.status_code == 400
    page = r.content.decode()
    assert "新材料省重点实验室（草稿）" in page and "errorlist" in page


def test_staff_on_the_new_yearly_report_page_are_told_who_files_it_and_what_they_can_do(
    client_for, staff, english
):

    platform = PlatformFactory()
    c = client_for(staff)
    r = c.get(f"/platforms/reports/new/?platform={platform.pk}")
    assert r.status_code == 403
    page = r.content.decode()
    assert "年度报告由平台的运营人员填报" in page and "指定运营人员" in page
    assert "您的账号没有访问此页面的权限" not in page and "请联系科技厅工作人员" not in page
    english(c)
    page = c.get(f"/platforms/reports/new/?platform={platform.pk}").content.decode()
    assert "operators file" in page and "assign" in page
    assert c.post("/platforms/reports/new/", {"platform": platform.pk, "year": 2024}).status_code == 403
    assert not YearlyReport.objects.exists()


def test_a_member_leaves_only_ticked_refused_keeps_the_date_and_a_second_exit_says_who_did(
    client_for, staff, make_user
):
    from kechuang.core.roles import Role
    from kechuang.platforms.models import Membership
    from kechuang.platforms.tests.factories import MembershipFactory

    p = PlatformFactory(consortium=True)
    m = MembershipFactory(platform=p)
    url = f"/platforms/{p.pk}/members/{m.pk}/end/"
    c = client_for(staff)
    # the member's form asks for the tick (an exit cannot be undone)
    page = c.get(p.get_absolute_url()).content.decode()
    assert "确认办理退出（不能撤销）" in page
    # not ticked: the page again with the date and reason as typed and why (400; it was a message after a
    # redirect and the date and reason were lost); nothing changed
    r = c.post(url, {"left": "2025-03-01", "reason": "联盟章程到期"})
    body = r.content.decode()
    assert r.status_code == 400 and "请勾选确认" in body
    assert (
        'value="2025-03-01"' in body
        and 'value="联盟章程到期"' in body
        and f'id="refused-member-{m.pk}"' in body
    )
    assert Membership.objects.get(pk=m.pk).left is None
    # a date that is not one: why, the reason kept
    r = c.post(url, {"left": "", "reason": "联盟章程到期", "confirm": "1"})
    assert r.status_code == 400 and 'value="联盟章程到期"' in r.content.decode()
    assert c.post(url, {"left": "2025-03-01", "reason": "联盟章程到期", "confirm": "1"}).status_code == 302
    # another staff member's stale tab: already left, when and by whom, what they typed kept
    r = client_for(make_user(Role.STAFF)).post(
        url, {"left": "2025-04-01", "reason": "另案退出", "confirm": "1"}
    )
    assert r.status_code == 409
    main = r.content.decode().split("<main", 1)[1]
    assert "此事项已由" in main and "另案退出" in main and "2025" in main, main
    assert Membership.objects.get(pk=m.pk).left.isoformat() == "2025-03-01"
