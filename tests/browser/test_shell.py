"""The shell in a real browser: sign in per role, the dashboard, the language switch, refusals, no JS errors."""

import pytest

from kechuang.core.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_signs_in_sees_dashboard_and_switches_to_english(pages, make_user):
    make_user(Role.STAFF, username="browserstaff")
    pages.goto("/")
    assert "区域科技创新平台" in pages.page.content()
    pages.login("browserstaff")
    assert pages.page.url.endswith("/dashboard/")
    assert "我的工作台" in pages.page.inner_text("h1")
    assert "科技厅工作人员" in pages.page.inner_text(".usermenu")
    with pages.page.expect_navigation():  # the switch submits its form: wait for the new page
        pages.page.select_option("#lang-select", "en")
    pages.shot("english-dashboard")
    assert "My dashboard" in pages.page.inner_text("h1")
    pages.goto("/jobs/audit/")
    # The sign-in is listed in the reader's words (issue #13), never as its code.
    table = pages.page.inner_text("table")
    assert "Signed in" in table
    assert "auth.login" not in table


def test_applicant_is_refused_staff_pages_with_a_friendly_page(pages, make_user):
    make_user(Role.APPLICANT, username="browserapplicant")
    pages.login("browserapplicant")
    pages.allowed.append("status of 403")  # the refused page itself
    response = pages.goto("/jobs/audit/")
    assert response.status == 403
    assert "无权访问" in pages.page.inner_text("h1")


def test_wrong_password_shows_the_form_error(pages, make_user):
    make_user(Role.EXPERT, username="browserexpert")
    pages.goto("/accounts/login/")
    pages.page.fill("#id_username", "browserexpert")
    pages.page.fill("#id_password", "wrong")
    pages.page.click("main button[type=submit]")
    pages.page.wait_for_load_state()
    pages.shot("login-error")
    assert pages.page.locator(".form-errors").count() == 1
