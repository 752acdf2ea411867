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
        open_by_keyboard(e, "我声明无利益冲突，开始评审", "opened")
        for name, score in (("c_tech", "88"), ("c_team", "82"), ("c_plan", "90")):
            type_into(e, name, score)
        tab_to(e, "recommendation", field=True)
        e.page.keyboard.press("ArrowDown")  # the first recommendation after the empty choice
        type_into(e, "comments", "温场设计合理，团队具备8英寸晶体生长经验。")
        type_into(e, "opinion", "方案可行，建议加强量产良率验证。")
        tab_to(e, "提交（提交后不能修改）")
        press_to_page(e, "Enter", "submitted")
        review.refresh_from_db()
        assert review.status == "submitted" and review.total is not None, e.page.inner_text("main")[:500]
        assert review.recommendation
