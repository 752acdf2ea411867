"""Conditional fields in the browser (issue #18.2): on the 省重点研发计划 pre-application form, 企业自筹经费 is
asked only when 申报单位类型 is 企业. conditions.js hides and shows it live as the choice changes, disables the
hidden inputs (so the browser neither checks nor sends them); with JavaScript off every field shows and the
server drops the hidden field's value."""

import pytest

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.roles import Role

from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _call(make_user):
    from kechuang.programmes import definitions, services, transfer

    staff = make_user(Role.STAFF, username="c_staff")
    version = transfer.import_programme(actor=staff, raw=definitions.read("provincial_rd.json"))
    call = services.call_open(actor=staff, version=version, title="2027 年度", year=2027)
    call = services.call_advance(actor=staff, call=call)  # at 预申报
    make_user(Role.APPLICANT, username="c_unit", unit=UnitFactory())
    return call


def test_a_conditional_field_hides_and_shows_live_and_its_hidden_value_is_not_sent(pages, make_user):
    from kechuang.programmes.models import Submission

    call = _call(make_user)
    pages.login("c_unit", PASSWORD)
    pages.goto(f"/programmes/calls/{call.pk}/", "call")
    assert "预申报截止" in pages.page.inner_text("main")
    pages.click("text=填写本环节表单", "fill")
    own_funds = pages.page.locator('.field[data-key="f3"]')
    assert own_funds.is_hidden()  # no type chosen yet: the condition is not met
    pages.page.select_option("#id_f2", "企业")
    own_funds.wait_for(state="visible")
    pages.shot("enterprise-chosen")
    pages.page.fill("#id_f3", "300")
    pages.page.select_option("#id_f2", "高等院校")
    own_funds.wait_for(state="hidden")
    assert pages.page.locator("#id_f3").is_disabled()
    pages.shot("university-chosen")
    pages.page.fill("#id_f1", "高熵合金")
    pages.page.fill("#id_f4", "研究内容摘要")
    pages.click("main form button[type=submit]", "submitted")
    sub = Submission.objects.get()
    assert sub.data["f2"] == "高等院校" and "f3" not in sub.data
    # back to 企业: the field shows again, enabled, and is required
    pages.goto(f"/programmes/calls/{call.pk}/fill/", "fill-again")
    pages.page.select_option("#id_f2", "企业")
    own_funds.wait_for(state="visible")
    assert pages.page.locator("#id_f3").is_enabled()
    pages.shot("enterprise-again")


def test_without_javascript_every_field_shows_and_the_server_drops_the_hidden_value(
    browser, live_server, make_user
):
    from kechuang.programmes.models import Submission

    call = _call(make_user)
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_username", "c_unit")
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("main button[type=submit]")
        page.goto(f"{live_server.url}/programmes/calls/{call.pk}/fill/")
        assert page.locator('.field[data-key="f3"]').is_visible()  # no script: every field shows
        page.fill("#id_f1", "高熵合金")
        page.select_option("#id_f2", "高等院校")
        page.fill("#id_f3", "300")  # typed, but its condition does not hold
        page.fill("#id_f4", "研究内容摘要")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        sub = Submission.objects.get()
        assert sub.data["f2"] == "高等院校" and "f3" not in sub.data
    finally:
        context.close()
