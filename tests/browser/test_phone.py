"""Phone-sized screens (issue #13 part 9): at 390×844 an expert declares, reads the application's files and
scores, and an applicant follows its application, and no page scrolls sideways
(`document.scrollingElement.scrollWidth <= 390`). Screenshots: artifacts/screenshots/test_*-<nn>-*.png."""

import pytest

from kechuang.core.roles import Role

from .conftest import Pages, Record, new_page
from .test_journeys import docx_bytes, later, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 390, 844
PHONE = {
    "viewport": {"width": WIDTH, "height": HEIGHT},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
}


class Phone(Pages):
    """A person's phone: every page photographed, and every page's width measured."""

    wide: list[str]

    def shot(self, label: str):
        width = self.page.evaluate("document.scrollingElement.scrollWidth")
        if width > WIDTH:
            culprits = self.page.evaluate(
                """(w) => [...document.querySelectorAll('main *')]
                    .filter(e => e.getBoundingClientRect().right > w + 1 && !e.closest('.scroll-x'))
                    .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))""",
                WIDTH,
            )
            self.wide.append(f"{self.path()} ({label}): {width}px wide; {culprits}")
        super().shot(label)


@pytest.fixture
def world(make_user):
    return make_world(make_user)


@pytest.fixture
def phone(browser, live_server, request):
    record = Record(request.node.name)
    opened = []

    def open_phone(who: str) -> Phone:
        context = browser.new_context(**PHONE)
        p = Phone(new_page(context), live_server.url, record, who)
        p.page.set_default_timeout(30_000)  # a shared, busy test machine
        p.wide = wide
        opened.append(p)
        return p

    wide: list[str] = []
    yield open_phone, wide
    for p in opened:
        if p._pending is not None:
            record.unshot.append(p._pending)
        p.page.context.close()
    assert not record.errors, "\n".join(record.errors)


def _under_review_with_a_file(world):
    """An application with a Word file, under review by 陈教授 (the review not opened yet)."""
    from kechuang.challenges import services
    from kechuang.review import services as review_services
    from kechuang.review.models import Review

    ch, applicant, staff, expert = (world[k] for k in ("challenge", "applicant", "staff", "expert"))
    app = services.application_create(actor=applicant, challenge=ch, title="8英寸导电型碳化硅衬底产业化")
    app = services.application_update(
        actor=applicant,
        application=app,
        expected_version=app.version,
        plan="物理气相传输法，" * 40,  # a long plan: a long line must wrap, not widen the page
        budget_requested=800,
    )
    services.attachment_add(
        actor=applicant, application=app, data=docx_bytes(), filename="技术方案（盖章版）.docx", kind="plan"
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
    return app, Review.objects.get(assignment__expert=expert)


def _login(p: Phone, username: str):
    p.goto("/accounts/login/", f"login-{username}")
    p.page.fill("#id_username", username)
    p.page.fill("#id_password", "correct-horse-battery")
    p.click("main button[type=submit]", f"dashboard-{username}")


def test_an_expert_declares_reads_the_files_and_scores_on_a_phone(phone, world):
    open_phone, wide = phone
    app, review = _under_review_with_a_file(world)
    with later(31):
        e = open_phone("expert")
        _login(e, "j_expert")
        e.goto("/review/my/", "my-reviews")
        e.click(e.page.locator("main a", has_text="8英寸导电型碳化硅衬底产业化").first, "declaration")
        e.page.get_by_label("我声明与该评审对象无利益冲突").check()
        e.click(e.page.get_by_role("button", name="开始评审"), "opened")
        files = e.page.locator("main ul.documents a")
        assert files.count() == 1 and "技术方案" in files.first.inner_text()
        download = e.page.request.get(e.base_url + files.first.get_attribute("href"))
        assert download.status == 200 and download.body()[:2] == b"PK"
        form = e.page.locator("main form.panel")
        for name in ("tech", "team", "plan"):  # the 揭榜挂帅 review form's criteria (#18)
            form.locator(f"input[name={name}]").fill("25")
        form.locator("select[name=f4]").select_option("推荐")
        form.locator("textarea[name=comments]").fill("温场设计合理，团队具备晶体生长经验。")
        form.locator("textarea[name=opinion]").fill("方案可行，建议支持。")
        e.page.on("dialog", lambda d: d.accept())
        form.get_by_label("确认提交").check()
        e.click(form.get_by_role("button", name="提交（提交后不能修改）"), "submitted")
        review.refresh_from_db()
        assert review.status == "submitted", e.messages()

        a = open_phone("applicant")
        _login(a, "j_applicant")
        a.goto("/challenges/applications/", "my-applications")
        a.click(a.page.locator("main a", has_text="8英寸导电型碳化硅衬底产业化").first, "application")
        assert "技术方案" in a.page.inner_text("main")
        a.goto(world["challenge"].get_absolute_url(), "challenge")
        a.goto("/notifications/", "notifications")
    assert not wide, "pages wider than the phone:\n" + "\n".join(wide)


def test_staff_lists_fit_a_phone_by_scrolling_their_tables_only(phone, world, make_user):
    """The wide tables of staff lists scroll inside their box; the page itself does not."""
    open_phone, wide = phone
    _under_review_with_a_file(world)
    make_user(Role.STAFF, username="p_staff", full_name="钱科长")
    with later(31):
        s = open_phone("staff")
        _login(s, "p_staff")
        for path in (
            "/challenges/applications/",
            "/review/experts/",
            "/review/rounds/",
            "/challenges/projects/",
        ):
            s.goto(path)
    assert not wide, "pages wider than the phone:\n" + "\n".join(wide)
