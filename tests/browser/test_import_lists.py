"""The indicator import page's 数据版本 and 地区集 lists, driven as staff drive them (walked, session 21): each
held edition and region set offered once, by name; a new edition typed into the list's search box is offered to
keep as typed without "nothing found" beside it, and is kept when the form is refused (no file chosen)."""

import pytest

from kechuang.core.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The list's search box has the keyboard (Tom Select moves the focus there after the click, not at once).
# The search box has the page's focus AND Tom Select has run its own focus handler (a timer after the click): until
# then its wrapper lacks the `focus` class and its inputState() empties the box, so a key Chromium delivered first
# (input events go before timers) was lost — CI1 of session 30 read "IS2025" for "EIS2025".
FOCUSED = (
    "() => { const a = document.activeElement; const w = a && a.closest('.ts-wrapper');"
    " return !!w && a.tagName === 'INPUT' && w.classList.contains('focus'); }"
)


def test_a_new_edition_is_offered_alone_and_kept_after_a_refusal(pages, make_user):
    from kechuang.indicators.tests.factories import IndicatorFactory, RegionFactory, ValueFactory

    make_user(Role.STAFF, username="il_staff", full_name="王科员")
    ind = IndicatorFactory(code="IL1", name_zh="研发经费投入强度")
    for code, name in (("DE", "德国"), ("FR", "法国")):
        ValueFactory(
            indicator=ind, region=RegionFactory(code=code, name=name, region_set="eis"), edition="EIS2023"
        )
    p = pages
    p.allowed.append("status of 400")  # the form without a file is refused, as it should be
    p.login("il_staff")
    p.goto("/indicators/import/", "import")
    texts = "els => els.map(e => e.textContent)"
    assert p.page.locator("select[name=edition] option").evaluate_all(texts) == [
        "本厅数据（不分版本）",
        "EIS2023",
    ]
    assert p.page.locator("select[name=region_set] option").evaluate_all(texts) == [
        "（无）",
        "欧洲创新记分牌（EIS）国家",
    ]
    p.page.locator("select[name=edition] + .ts-wrapper").click()
    p.page.wait_for_function(
        FOCUSED
    )  # typed before the search box has focus, the first letters were lost (CI3)
    p.page.keyboard.type("EIS2025", delay=40)  # as a person types: instant keys raced the list opening
    dropdown = p.page.locator(".ts-dropdown").first
    dropdown.locator(".create").wait_for()
    assert dropdown.locator(".create").inner_text() == "新的数据版本：EIS2025"
    assert dropdown.locator(".no-results").count() == 0
    p.shot("new-edition-offered")
    p.page.keyboard.press("Enter")
    p.page.locator("select[name=edition]").evaluate("s => { s.form.noValidate = true; }")
    p.click("form.panel button[type=submit]", "refused-without-file")
    assert p.page.locator(".errorlist").count() >= 1
    assert p.page.locator("select[name=edition]").input_value() == "EIS2025"
    p.page.locator("select[name=edition] + .ts-wrapper").click()
    p.page.wait_for_function(FOCUSED)
    p.page.keyboard.type("XYZ-none", delay=40)
    dropdown.locator(".create").wait_for()
    assert dropdown.locator(".no-results").count() == 0
