"""Journeys through the real web UI, as people do them: clicks and form fills in Chromium, nothing else.

Only the starting world is made with factories — the users, the applicant's unit, a published challenge
and an approved expert pool. Every later step (apply, formal check, review round, conflict declaration and
scores, decision, publicity, award, contract, milestone report and verification, what the public sees)
goes through the pages. The clock moves forward with time_machine (ticking, so the live server sees it)
past the deadline and the publicity period; always forward from the real date, so the browser keeps its
cookies. Screenshots are named by step (artifacts/screenshots/test_<journey>-<nn>-<who>-<step>.png).
"""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.roles import Role

from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLICITY_DAYS = 5


def docx_bytes() -> bytes:
    """A minimal Word file (the upload check sniffs the OOXML parts, not the extension)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.fixture
def world(make_user):
    return make_world(make_user)


def make_world(make_user):
    """The starting world: staff, a commissioner, an applicant firm and its user, a published challenge and
    an expert pool of two — one free to review, one working at the applicant firm (a conflict)."""
    from kechuang.challenges.tests.factories import ChallengeFactory, TopicFactory
    from kechuang.review.tests.factories import ExpertProfileFactory

    firm = UnitFactory(name="晋阳碳化硅半导体有限公司", city="太原")
    university = UnitFactory(name="北方材料大学", university=True, city="大同")
    w = {
        "staff": make_user(Role.STAFF, username="j_staff", full_name="王处长"),
        "commissioner": make_user(Role.COMMISSIONER, username="j_comm", full_name="李专员"),
        "applicant": make_user(Role.APPLICANT, username="j_applicant", full_name="赵挂帅", unit=firm),
        "firm": firm,
    }
    w["expert"] = ExpertProfileFactory(
        user=make_user(Role.EXPERT, username="j_expert", full_name="陈教授", unit=university), city="大同"
    ).user
    w["conflicted"] = ExpertProfileFactory(
        user=make_user(Role.EXPERT, username="j_conflicted", full_name="周工程师", unit=firm)
    ).user
    w["challenge"] = ChallengeFactory(
        published=True,
        code="JB-2026-101",
        title="8英寸碳化硅单晶衬底制备关键技术",
        topic=TopicFactory(title="碳化硅衬底", track="industrialisation"),
        budget_ceiling=Decimal("1000"),
        deadline=timezone.now() + datetime.timedelta(days=30),
    )
    return w


def later(days: int):
    """Move the clock `days` ahead of the real now (ticking: the live server's thread sees it too)."""
    return time_machine.travel(timezone.now() + datetime.timedelta(days=days), tick=True)


def test_applicant_to_public_result(pages, world, tmp_path):
    ch = world["challenge"]
    plan_file = tmp_path / "技术方案书.docx"
    plan_file.write_bytes(docx_bytes())
    UnitFactory(name="汾河精密仪器厂", city="太原")  # a competitor the applicant asks to avoid
    p = pages  # the anonymous visitor first, then the applicant in the same browser
    p.who = "applicant"

    # 1. The applicant finds the published list, signs in and applies.
    p.goto("/", "home")
    p.nav("揭榜挂帅", "challenge-list")
    p.click(p.page.locator("main a", has_text=ch.title), "challenge-detail-anonymous")
    p.click(p.page.locator("main a.button", has_text="登录后揭榜"), "login-to-apply")
    p.page.fill("#id_username", "j_applicant")
    p.page.fill("#id_password", PASSWORD)
    p.click("main button[type=submit]", "application-form")  # signed in, straight on to the form
    f = p.page
    f.fill("#id_title", "8英寸导电型碳化硅衬底产业化")
    f.fill("#id_plan", "物理气相传输法生长8英寸晶体，优化温场与籽晶粘接，降低微管密度。")
    f.fill("#id_keywords", "碳化硅,单晶,衬底")
    f.fill("#id_budget_requested", "800")
    f.fill("#id_budget_self", "400")
    # The team as rows: one typed field per column, a row added with the button (issue #13.1).
    f.fill("#id_team_text-0-name", "孙工")
    f.fill("#id_team_text-0-title", "高级工程师")
    f.fill("#id_team_text-0-duty", "晶体生长")
    f.locator("[data-rows=team_text] [data-add-row]").click()
    f.fill("#id_team_text-1-name", "吴工")
    f.fill("#id_team_text-1-title", "工程师")
    f.fill("#id_team_text-1-duty", "加工检测")
    f.locator("[data-rows=team_text] [data-add-row]").click()
    f.fill("#id_team_text-2-name", "多余的行")
    f.locator("[data-rows=team_text] tr[data-row]").nth(2).locator("[data-remove-row]").click()
    p.shot("application-team-rows")
    # Units to avoid: picked from what the search finds as the applicant types.
    f.locator("#id_avoid_units-ts-control").click()
    f.keyboard.type("汾河精密")
    f.locator(".ts-dropdown .option", has_text="汾河精密仪器厂").click()
    p.shot("application-unit-picked")
    # Milestones: a row each, a stage target per indicator of the list; month 0 is refused.
    f.fill("#id_milestones_text-0-title", "6英寸中试线贯通")
    f.fill("#id_milestones_text-0-month", "0")
    f.fill("#id_milestones_text-0-tranche", "400")
    f.fill("#id_milestones_text-0-target_0", "6")
    p.allowed.append("status of 400")  # the refused form comes back with status 400, as it should
    p.click("main form button[type=submit]", "application-form-error")
    assert "第 1 行有误" in f.inner_text("main")
    assert f.input_value("#id_title") == "8英寸导电型碳化硅衬底产业化"  # nothing typed is lost
    assert f.input_value("#id_team_text-1-name") == "吴工"
    assert f.locator("[data-rows=team_text] tbody[data-row-list] tr[data-row]:not([hidden])").count() == 2
    picked = f.eval_on_selector("#id_avoid_units", "el => Array.from(el.selectedOptions).map(o => o.text)")
    assert picked == ["汾河精密仪器厂"]
    assert f.input_value("#id_milestones_text-0-target_0") == "6"
    p.allowed.remove("status of 400")
    f.fill("#id_milestones_text-0-month", "12")
    f.locator("[data-rows=milestones_text] [data-add-row]").click()
    f.fill("#id_milestones_text-1-title", "8英寸量产")
    f.fill("#id_milestones_text-1-month", "24")
    f.fill("#id_milestones_text-1-tranche", "400")
    f.fill("#id_milestones_text-1-target_0", "8")
    f.fill("#id_milestones_text-1-target_1", "1")
    p.click("main form button[type=submit]", "application-draft-saved")
    assert "已保存为草稿" in p.messages()
    f.select_option("#id_kind", "plan")
    f.set_input_files("#id_file", str(plan_file))
    p.click(f.locator("form.filters button[type=submit]"), "attachment-uploaded")
    assert "附件已上传" in p.messages()
    assert f.locator("main a", has_text="技术方案书.docx").count() == 1
    p.click(f.locator("form[action$='/do/submit/'] button"), "application-submitted")
    assert "已提交" in f.inner_text("h1")

    # 2. After the deadline: staff close the list and pass the formal check.
    with later(31):
        s = p.person("staff")
        s.goto("/", "home")
        s.login("j_staff", here=True)
        s.nav("揭榜申请", "application-list")
        s.click(s.page.locator("main a", has_text="8英寸导电型碳化硅衬底产业化"), "application-detail")
        s.click(s.page.locator("main p.meta a", has_text=ch.code), "challenge-detail-staff")
        s.click(s.page.locator("main a.button", has_text="截止揭榜"), "challenge-close-confirm")
        assert "将会发生" in s.page.inner_text("main")  # the confirmation says what closing does
        s.click(s.page.locator("form[action$='/do/close/'] button"), "challenge-closed")
        assert "已截止" in s.page.inner_text("h1")
        s.click(
            s.page.locator("main table a", has_text="8英寸导电型碳化硅衬底产业化"), "application-to-check"
        )
        s.page.fill("#reason-pass_formal", "材料齐全，符合揭榜条件")
        s.click(s.page.locator("form[action$='/do/pass_formal/'] button"), "formal-check-passed")
        assert "形式审查通过" in s.page.inner_text("h1")

        # 3. The review round: created from the challenge, assigned by the solver, experts notified.
        s.click(s.page.locator("main p.meta a", has_text=ch.code), "challenge-after-formal-check")
        s.click(s.page.locator("main a.button", has_text="专家评审"), "challenge-review")
        s.page.fill("input[name=k]", "1")
        s.click(s.page.locator("form button", has_text="创建评审轮次"), "review-round-created")
        s.click(s.page.locator("main a", has_text="专家评审").first, "round-detail")
        s.click(s.page.get_by_role("button", name="分配专家", exact=True), "assignment-job")
        s.click(s.page.locator("main a", has_text="查看结果"), "round-assigned")
        assigned = s.page.locator("main table").first.locator("tbody tr td:nth-child(2)").inner_text()
        assert "陈教授" in assigned and "周工程师" not in assigned  # a conflicted expert is never assigned
        conflicts = s.page.locator("main table").nth(1).inner_text()
        assert "周工程师" in conflicts and "同一单位" in conflicts  # the conflict is shown with its reason
        s.click(s.page.get_by_role("button", name="通知专家开始评审"), "round-reviewing")
        assert "评审中" in s.page.inner_text("h1")

        # 4. The expert signs in, declares no conflict of interest and scores the application.
        e = p.person("expert")
        e.goto("/", "home")
        e.login("j_expert", here=True)
        e.click(e.page.locator(".usermenu a", has_text="通知"), "notifications")
        e.click(e.page.locator("main a", has_text="请完成评审"), "my-reviews")
        e.click(e.page.locator("main table a", has_text="8英寸导电型碳化硅衬底产业化"), "review-declaration")
        assert e.page.get_by_role("button", name="开始评审").count() == 1
        e.page.get_by_label("我声明与该评审对象无利益冲突").check()
        e.click(e.page.get_by_role("button", name="开始评审"), "review-opened")
        # the sheet of the list's 揭榜挂帅 review form (#18): 技术先进性 40, 团队能力 30, 实施方案 30 分
        e.page.fill("#id_tech", "35")
        e.page.fill("#id_team", "27")
        e.page.fill("#id_plan", "28")
        e.page.fill("#id_comments", "温场设计合理，团队具备8英寸晶体生长经验。")
        e.page.fill("#id_opinion", "方案可行，建议加强量产良率验证。")
        e.page.select_option("#id_f4", "推荐")
        e.click(e.page.get_by_role("button", name="保存草稿"), "review-draft-saved")
        assert e.page.input_value("#id_tech") == "35"
        # a submitted review cannot be changed: not ticked, it is refused with everything typed kept
        e.allowed.append("status of 400")
        e.click(e.page.get_by_role("button", name="提交（提交后不能修改）"), "review-submit-unticked")
        e.allowed.remove("status of 400")
        assert "评审没有提交：请勾选确认" in e.page.inner_text("main")
        assert e.page.input_value("#id_tech") == "35" and "8英寸晶体" in e.page.input_value("#id_comments")
        e.page.get_by_label("确认提交").check()
        e.click(e.page.get_by_role("button", name="提交（提交后不能修改）"), "review-submitted")
        assert "评审已提交" in e.messages()

        # 5. Staff read the experts' result, decide and open the publicity period.
        s.nav("揭榜挂帅", "challenge-list-staff")
        s.click(s.page.locator("main a", has_text=ch.title), "challenge-under-review")
        s.click(s.page.locator("main a.button", has_text="专家评审"), "challenge-review-scored")
        s.click(s.page.get_by_role("button", name="读取专家评审结果"), "review-result-read")
        s.click(s.page.locator("main a.button", has_text="作出立项决定"), "decision")
        assert s.page.locator("input[name=winner]").is_checked()  # ranked first: proposed by default
        s.page.fill("#id_days", str(PUBLICITY_DAYS))
        s.page.fill("#id_notice", "经专家评审，拟立项如下，公示期内可提出异议。")
        s.click(s.page.get_by_role("button", name="下一步：确认"), "decision-confirm")
        assert "将会发生" in s.page.inner_text("main")  # who is proposed, who is not, until when
        s.click(s.page.get_by_role("button", name="发布拟立项公示"), "publicity-open")
        assert "公示中" in s.page.inner_text("main")

    # 6. After the publicity period: staff award, assign the commissioner and sign the contract.
    with later(31 + PUBLICITY_DAYS + 2):
        s.goto("/", "home")  # a week later: the session has expired, sign in again
        s.login("j_staff", here=True)
        s.nav("揭榜挂帅", "challenge-list-after-publicity")
        s.click(s.page.locator("main a", has_text=ch.title), "challenge-in-publicity")
        s.click(s.page.locator("main a.button", has_text="立项公示"), "publicity-over")
        s.click(s.page.locator("main a.button", has_text="公示期满，确认立项并生成任务书"), "award-confirm")
        s.click(s.page.get_by_role("button", name="确定揭榜方"), "awarded")
        assert "已确定揭榜方" in s.page.inner_text("h1")
        s.click(s.page.locator("main ul a", has_text="8英寸导电型碳化硅衬底产业化"), "contract-draft")
        s.page.select_option("#comm", label="李专员")
        s.click(s.page.get_by_role("button", name="指定", exact=True), "commissioner-assigned")
        s.click(s.page.locator("form[action$='/do/sign/'] button"), "contract-signed")
        assert "攻关实施中" in s.page.inner_text("h1")

        # 7. The unit reports its first milestone.
        a = p
        a.goto("/", "home")
        a.login("j_applicant", here=True)
        a.nav("攻关项目", "projects")
        a.click(a.page.locator("main table a", has_text="8英寸导电型碳化硅衬底产业化"), "project")
        a.click(a.page.locator("main table a", has_text="6英寸中试线贯通"), "milestone")
        a.page.fill("#id_report", "6英寸中试线贯通，连续三炉晶体直径达标。")
        a.page.locator("main input[name^=value_]").first.fill("6")
        a.click(a.page.get_by_role("button", name="报告完成情况"), "milestone-reported")
        assert "已报告" in a.page.inner_text("h1")

        # 8. The commissioner verifies it.
        c = p.person("commissioner")
        c.goto("/", "home")
        c.login("j_comm", here=True)
        c.nav("攻关项目", "projects")
        c.click(c.page.locator("main table a", has_text="8英寸导电型碳化硅衬底产业化"), "project")
        c.click(c.page.locator("main table a", has_text="6英寸中试线贯通"), "milestone-to-verify")
        c.page.fill("input[name=reason]:not([required])", "现场核查，三炉晶体直径均为6英寸。")
        c.page.get_by_label("本期阶段目标已完成").check()  # it makes the tranche payable: ticked first
        c.click(c.page.get_by_role("button", name="核验通过"), "milestone-verified")
        assert "已核验" in c.page.inner_text("h1")

        # The unit records the stage result the milestone produced (public while the project runs).
        a.click(
            a.page.locator("main p.meta a", has_text="8英寸导电型碳化硅衬底产业化"), "project-after-verify"
        )
        assert "已核验" in a.page.locator("main table").nth(1).inner_text()
        a.page.locator("summary", has_text="登记成果").click()
        a.page.select_option("#result_kind", "product")
        a.page.fill("#result_title", "6英寸导电型碳化硅衬底样品")
        a.page.fill("#result_achieved_on", timezone.localdate().isoformat())
        a.page.check("#result_is_stage_result")
        a.click(a.page.get_by_role("button", name="登记", exact=True), "stage-result-recorded")
        assert "成果已登记" in a.messages()

        # 9. An anonymous visitor sees the result on the public pages.
        v = p.person("public")
        v.goto("/", "home")
        v.nav("立项公示", "awards")
        assert "8英寸导电型碳化硅衬底产业化" in v.page.inner_text("main")
        v.nav("揭榜挂帅", "challenge-list")
        v.click(v.page.locator("main a", has_text=ch.title), "challenge-awarded")
        assert "已确定揭榜方" in v.page.inner_text("h1")
        v.nav("成果", "results")
        v.click(v.page.locator("main a", has_text="6英寸导电型碳化硅衬底样品"), "result-detail")
        assert "8英寸导电型碳化硅衬底产业化" in v.page.inner_text("main")


def under_review(world, *, scored: bool):
    """The world moved on by services to an application under expert review, 陈教授 assigned (and, when
    `scored`, his review submitted): the starting point of the shorter journeys below. Returns the review."""
    from kechuang.challenges import services
    from kechuang.review import services as review_services
    from kechuang.review.models import Review

    ch, applicant, staff, expert = (world[k] for k in ("challenge", "applicant", "staff", "expert"))
    app = services.application_create(actor=applicant, challenge=ch, title="8英寸导电型碳化硅衬底产业化")
    app = services.application_update(
        actor=applicant,
        application=app,
        expected_version=app.version,
        plan="物理气相传输法",
        budget_requested=800,
    )
    services.application_milestones_set(
        actor=applicant,
        application=app,
        milestones=[{"title": "8英寸量产", "month": 24, "tranche": 800, "targets": {"晶圆直径": "8"}}],
    )
    services.application_submit(actor=applicant, application=app)
    with later(31):
        services.challenge_close(actor=staff, challenge=ch)
        services.formal_check(actor=staff, application=app, passed=True, reasons="")
        ch.refresh_from_db()
        rnd = services.review_round_start(actor=staff, challenge=ch, k=1)
        review_services.assignment_create_manual(
            actor=staff, round=rnd, subject=app, expert=expert, reason="领域"
        )
        review_services.round_transition(actor=staff, round=rnd, action="assign")
        review_services.round_transition(actor=staff, round=rnd, action="start")
        review = Review.objects.get(assignment__expert=expert)
        if scored:
            review = review_services.review_open(actor=expert, review=review)
            review = review_services.review_save(
                actor=expert,
                review=review,
                expected_version=review.version,
                scores={"tech": "37.5", "team": "26.5", "plan": "27.5"},
                comments="内部意见：团队负责人此前项目延期。",
                opinion="方案可行。",
                recommendation="support",
            )
            review_services.review_submit(actor=expert, review=review)
    return review


def test_conflicted_expert_cannot_open_the_proposal(pages, world):
    review = under_review(world, scored=False)
    with later(31):
        # Staff try to add the applicant firm's own engineer to the panel by hand: refused, with the reason.
        s = pages
        s.who = "staff"
        s.goto("/", "home")
        s.login("j_staff", here=True)
        s.nav("揭榜挂帅", "challenge-list")
        s.click(s.page.locator("main a", has_text=world["challenge"].title), "challenge")
        s.click(s.page.locator("main a.button", has_text="专家评审"), "challenge-review")
        # The expert is picked from what the search finds as staff type a name (20,000 experts: no list).
        form = s.page.locator("form", has=s.page.locator("input[name=mode][value=assign]"))
        form.locator(".ts-control").click()
        s.page.keyboard.type("周工程")
        s.page.locator(".ts-dropdown .option", has_text="周工程师").click()
        s.page.fill("input[name=reason]", "补充一位产业专家")
        s.allowed.append("status of 400")  # refused: the review page again (400), why inside the form sent
        s.click(s.page.get_by_role("button", name="人工分配专家"), "conflicted-assignment-refused")
        refused = s.page.inner_text("main")
        assert "该专家需要回避" in refused and "申报单位" in refused

        # The conflicted engineer has nothing to review, and a forwarded link to the proposal is refused.
        x = s.person("conflicted")
        x.goto("/", "home")
        x.login("j_conflicted", here=True)
        x.nav("我的评审", "my-reviews-empty")
        assert "你还没有评审任务" in x.page.inner_text("main")
        x.allowed.append("status of 404")
        assert x.goto(review.get_absolute_url(), "forwarded-review-link").status == 404
        application = world["challenge"].applications.get()
        assert x.goto(application.get_absolute_url(), "application-link").status == 404
        assert "物理气相传输法" not in x.page.content()

        # The assigned expert finds a conflict after all, declares it, and the proposal closes to him too.
        e = s.person("expert")
        e.goto("/", "home")
        e.login("j_expert", here=True)
        e.nav("我的评审", "my-reviews")
        e.click(e.page.locator("main table a", has_text="8英寸导电型碳化硅衬底产业化"), "review-declaration")
        # the page names the unit and team the declaration is about; declaring is final: a box confirms it
        assert "晋阳碳化硅半导体有限公司" in e.page.inner_text("main")
        e.page.locator("main summary", has_text="存在利益冲突").click()  # opens the form, no new page
        e.page.fill("main input[name=reason]", "本人近三年与申报单位有合作研发项目")
        e.page.check("main form:has(input[name=reason]) input[name=confirm]")  # the declaration's own box
        e.click(e.page.get_by_role("button", name="声明回避", exact=True), "conflict-declared")
        assert "已声明回避" in e.messages()
        assert e.page.locator("main table a", has_text="8英寸导电型碳化硅衬底产业化").count() == 0
        assert e.goto(review.get_absolute_url(), "declined-review-link").status == 404
        assert "物理气相传输法" not in e.page.content()


def test_applicant_cannot_see_the_reviews(pages, world):
    review = under_review(world, scored=True)
    with later(31):
        # Staff release the expert's public opinion (anonymous) from the review page.
        s = pages
        s.who = "staff"
        s.goto("/", "home")
        s.login("j_staff", here=True)
        s.nav("评审轮次", "rounds")
        s.click(s.page.locator("main a", has_text=world["challenge"].code), "round")
        s.click(s.page.locator("main table a", has_text="已提交"), "submitted-review")
        s.click(s.page.get_by_role("button", name="向申报方公开意见（匿名）"), "opinion-released")

        a = s.person("applicant")
        a.goto("/", "home")
        a.login("j_applicant", here=True)
        a.nav("揭榜申请", "my-applications")
        a.click(
            a.page.locator("main table a", has_text="8英寸导电型碳化硅衬底产业化"), "application-under-review"
        )
        page = a.page.inner_text("main")
        assert "专家评审中" in page
        assert "专家意见（匿名）" in page and "方案可行。" in page  # what staff released, and only that
        for secret in ("陈教授", "内部意见", "37.5", "91.5"):  # who reviewed, what they wrote, their scores
            assert secret not in page, secret
        assert a.page.locator(".mainnav a", has_text="我的评审").count() == 0
        a.allowed.extend(["status of 404", "status of 403"])
        assert a.goto(review.get_absolute_url(), "review-link").status == 404
        round_url = review.assignment.round.get_absolute_url()
        assert a.goto(round_url, "round-link").status == 403
        assert a.goto(round_url + "panel/", "panel-link").status == 403
        assert "内部意见" not in a.page.content() and "陈教授" not in a.page.content()
