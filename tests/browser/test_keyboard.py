"""The score journey with the keyboard alone (issue #13 part 10): Tab, Shift+Tab, Enter, Space,
typing and the arrow keys — no click, no `fill`, no mouse. Each step Tabs to the control a person would reach
(found by what it says), so a control the keyboard cannot reach, or a focus that gets lost, fails the test.
Screenshots: artifacts/screenshots/test_*-<nn>-*.png."""

import pytest

from .conftest import PASSWORD
from .test_journeys import later, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const label = e.labels && e.labels.length ? e.labels[0].innerText : '';
  return {tag: e.tagName.toLowerCase(), type: e.type || '', name: e.name || '', id: e.id || '',
          text: (e.innerText || e.value || '').trim().slice(0, 80), label: label.trim(),
          aria: e.getAttribute('aria-label') || ''};
}"""


@pytest.fixture
def world(make_user):
    return make_world(make_user)


def tab_to(p, what: str, *, limit: int = 250, field: bool = False) -> dict:
    """Press Tab until the focused control says `what` (its text, label, name or aria-label); photograph."""
    for _ in range(limit):
        p.page.keyboard.press("Tab")
        el = p.page.evaluate(FOCUSED)
        if not el:
            continue
        said = (el["label"], el["aria"], el["name"]) if field else (el["text"], el["label"], el["aria"])
        if any(what in s for s in said if s):
            return el
    raise AssertionError(f"the keyboard never reached “{what}” on {p.path()}")


def press_to_page(p, key: str, step: str):
    """Press a key that leads to a new page (Enter on a link or a submit button); photograph the page."""
    with p.page.expect_navigation():
        p.page.keyboard.press(key)
    p.page.wait_for_load_state()
    p.shot(step)


def type_into(p, what: str, text: str):
    tab_to(p, what, field=True)
    p.page.keyboard.press("ControlOrMeta+a")
    p.page.keyboard.type(text)


def keyboard_login(p, username: str):
    p.goto("/accounts/login/", f"login-{username}")
    type_into(p, "username", username)
    type_into(p, "password", PASSWORD)
    press_to_page(p, "Enter", f"dashboard-{username}")


def open_by_keyboard(p, text: str, step: str):
    tab_to(p, text)
    press_to_page(p, "Enter", step)


def test_score_with_the_keyboard_alone(pages, world):
    from .test_journeys import under_review

    review = under_review(world, scored=False)
    with later(31):
        e = pages
        e.who = "expert"
        e.page.set_default_timeout(30_000)
        keyboard_login(e, "j_expert")
        e.goto("/review/my/", "my-reviews")
        open_by_keyboard(e, "8英寸导电型碳化硅衬底产业化", "declaration")
        tab_to(e, "我声明与该评审对象无利益冲突", field=True)  # the declaration a box to tick first
        e.page.keyboard.press("Space")
        open_by_keyboard(e, "开始评审", "opened")
        # the sheet of the list's 揭榜挂帅 review form (#18): 技术先进性 40, 团队能力 30, 实施方案 30 分, 推荐意见
        for name, score in (("tech", "35"), ("team", "27"), ("plan", "28")):
            type_into(e, name, score)
        tab_to(e, "f4", field=True)
        e.page.keyboard.press("ArrowDown")  # the first recommendation after the empty choice
        type_into(e, "comments", "温场设计合理，团队具备8英寸晶体生长经验。")
        type_into(e, "opinion", "方案可行，建议加强量产良率验证。")
        tab_to(e, "确认提交", field=True)  # the box beside the button: a submitted review cannot be changed
        e.page.keyboard.press("Space")
        tab_to(e, "提交（提交后不能修改）")
        press_to_page(e, "Enter", "submitted")
        review.refresh_from_db()
        assert review.status == "submitted" and review.total is not None, e.page.inner_text("main")[:500]
        assert review.recommendation


def test_apply_with_the_keyboard_alone(pages, world):
    """The applicant fills and submits an application: typed fields, team rows added and one removed, a unit
    to avoid picked in the search-as-you-type picker, milestone rows, save, submit — all from the keyboard."""
    from kechuang.accounts.tests.factories import UnitFactory
    from kechuang.challenges.models import Application

    UnitFactory(name="汾河精密仪器厂", city="太原")
    p = pages
    p.who = "applicant"
    p.page.set_default_timeout(30_000)
    keyboard_login(p, "j_applicant")
    p.goto(world["challenge"].get_absolute_url(), "challenge")
    open_by_keyboard(p, "我要揭榜", "application-form")
    type_into(p, "项目名称", "8英寸导电型碳化硅衬底产业化")
    type_into(p, "技术方案", "物理气相传输法生长8英寸晶体，优化温场与籽晶粘接，降低微管密度。")
    type_into(p, "申请财政经费", "800")
    type_into(p, "自筹经费", "400")
    # The unit to avoid: typed into the picker, the first answer taken with Enter.
    tab_to(p, "申请回避单位", field=True)
    p.page.keyboard.type("汾河精密")
    p.page.locator(".ts-dropdown .option", has_text="汾河精密仪器厂").wait_for()
    if not p.page.locator(".ts-dropdown .option.active").count():
        p.page.keyboard.press("ArrowDown")
    p.page.keyboard.press("Enter")
    p.page.keyboard.press("Escape")
    # The team: the first row typed, a row added with Enter on 添加, a spare row added and removed again.
    type_into(p, "team_text-0-name", "孙工")
    type_into(p, "team_text-0-title", "高级工程师")
    type_into(p, "team_text-0-duty", "晶体生长")
    tab_to(p, "添加")
    p.page.keyboard.press("Enter")  # the new row's first field takes the focus
    p.page.keyboard.type("吴工")
    type_into(p, "team_text-1-title", "工程师")
    type_into(p, "team_text-1-duty", "加工检测")
    tab_to(p, "添加")
    p.page.keyboard.press("Enter")
    p.page.keyboard.type("多余的行")
    tab_to(p, "删除此行")  # the spare row's own remove button, after its fields
    assert (
        p.page.evaluate("() => document.activeElement.closest('tr').querySelector('input').value")
        == "多余的行"
    )
    p.page.keyboard.press("Enter")
    p.shot("team-rows")
    # Milestones: a row each, with a stage target per indicator of the list.
    type_into(p, "milestones_text-0-title", "6英寸中试线贯通")
    type_into(p, "milestones_text-0-month", "12")
    type_into(p, "milestones_text-0-tranche", "400")
    type_into(p, "milestones_text-0-target_0", "6")
    tab_to(p, "添加")
    p.page.keyboard.press("Enter")
    p.page.keyboard.type("8英寸量产")
    type_into(p, "milestones_text-1-month", "24")
    type_into(p, "milestones_text-1-tranche", "400")
    type_into(p, "milestones_text-1-target_0", "8")
    type_into(p, "milestones_text-1-target_1", "1")
    tab_to(p, "保存草稿")
    press_to_page(p, "Enter", "draft-saved")
    assert "已保存为草稿" in p.messages(), p.page.inner_text("main")[:800]
    tab_to(p, "提交揭榜申请")
    press_to_page(p, "Enter", "submitted")
    app = Application.objects.get(title="8英寸导电型碳化硅衬底产业化")
    assert app.status == "submitted", p.page.inner_text("main")[:500]
    assert app.budget_requested == 800
    assert sorted(m.name for m in app.members.all()) == ["吴工", "孙工"]
    assert [u.name for u in app.avoid_units.all()] == ["汾河精密仪器厂"]
