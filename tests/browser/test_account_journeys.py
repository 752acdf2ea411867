"""Journeys through the account pages of issue #14, in Chromium: a unit registers itself, staff verify it,
its user asks for a name change and staff approve it; a forgotten password is reset through the e-mailed
link (locmem mail); the TOTP enrolment page shows its QR code. Screenshots: test_<journey>-<nn>-<who>-<step>.png.
"""

import re
import time

import pytest
from django.core import mail

from kechuang.accounts.models import Unit, UnitChangeRequest
from kechuang.accounts.tests.factories import UnitFactory, _credit_code
from kechuang.core.roles import Role

from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Zhineng-chuangan-2026!"  # pragma: allowlist secret


def test_register_verify_and_change_the_name(pages, make_user):
    make_user(Role.STAFF, username="j_staff", full_name="王处长")
    UnitFactory(name="晋中市科学技术局", kind=Unit.Kind.GOVERNMENT, credit_code="")
    p = pages
    p.who = "unit"

    # 1. The unit registers itself from the sign-in page (the live server's first page may be slow to build
    # on a loaded machine: that one navigation may take a minute).
    p.page.goto(p.base_url + "/accounts/login/", timeout=60_000)
    p.shot("login")
    p.click(p.page.locator("main a", has_text="注册"), "register-form")
    f = p.page
    f.fill("#id_name", "晋中智能传感科技有限公司")
    f.select_option("#id_kind", "enterprise")
    f.fill("#id_credit_code", _credit_code(9401))
    # The province is picked from the list of divisions by typing part of its name.
    f.locator(".ts-wrapper:has(#id_province-ts-control) .ts-control").click()
    f.keyboard.type("山西")
    f.locator(".ts-dropdown .option", has_text="山西").first.click()
    f.keyboard.press("Escape")
    # The city is a picker narrowed to the province: picked by typing part of its name, straight after the
    # province (a first click on it once went nowhere: the province's box shrank under the pointer).
    f.locator(".ts-wrapper:has(#id_city-ts-control) .ts-control").click()
    f.keyboard.type("晋中")
    f.locator(".ts-dropdown .option", has_text="晋中").first.click()
    # No region to pick: an enterprise's comes from its credit code (characters 3-8).
    f.fill("#id_address", "晋中市榆次区")
    f.select_option("#id_endorser", label="晋中市科学技术局")
    f.fill("#id_contact_name", "王敏")
    f.fill("#id_contact_phone", "0354-1234567")
    f.fill("#id_full_name", "王敏")
    f.fill("#id_email", "wangmin@example.cn")
    f.fill("#id_password1", NEW_PASSWORD)
    f.fill("#id_password2", NEW_PASSWORD + "x")  # a mismatch: refused, the rest kept
    p.allowed.append("status of 400")  # the refused form comes back with status 400, as every refused form
    p.click("main form button[type=submit]", "register-refused")
    assert "不一致" in f.inner_text("main") and f.input_value("#id_name") == "晋中智能传感科技有限公司"
    p.allowed.remove("status of 400")
    f.fill("#id_password1", NEW_PASSWORD)
    f.fill("#id_password2", NEW_PASSWORD)
    p.click("main form button[type=submit]", "registered")
    # The page says a message went to the address (the same whether or not it had an account); the person signs
    # in with that address once the unit is verified (docs/adr/0017).
    assert "wangmin@example.cn" in f.inner_text("main") and "发送了一封邮件" in f.inner_text("main")
    unit = Unit.objects.get(name="晋中智能传感科技有限公司")
    assert unit.status == Unit.Status.PENDING and unit.region_code == "140100"

    # 1b. The mailed link confirms the address is the registrant's (opening it confirms nothing); without it the
    # account stays closed whatever staff decide (docs/security.md §19). The page names the unit and asks for
    # the password chosen at registration: a wrong one is refused, the link kept (§25).
    (welcome,) = [m for m in mail.outbox if m.to == ["wangmin@example.cn"]]
    link = re.search(r"https?://[^/\s]+(/accounts/register/confirm/\S+/)", welcome.body).group(1)
    p.goto(link, "confirm-address")
    assert "晋中智能传感科技有限公司" in f.inner_text("main")
    f.fill("#id_password", NEW_PASSWORD + "x")
    p.allowed.append("status of 400")
    p.click("main form button[type=submit]", "confirm-wrong-password")
    assert "密码与这次注册设置的密码不符" in f.inner_text("main") and f.input_value("#id_password") == ""
    p.allowed.remove("status of 400")
    assert f.locator("#id_password_error").count() == 1  # the reason under the field
    f.fill("#id_password", NEW_PASSWORD)
    p.click("main form button[type=submit]", "address-confirmed")
    assert "已确认" in p.page.inner_text("main")

    # 2. Staff verify it from the unit's page.
    s = p.person("staff")
    s.login("j_staff")
    s.goto(unit.get_absolute_url(), "pending-unit")
    s.click(s.page.locator("main form[action$='/verify/'] button"), "unit-verified")
    unit.refresh_from_db()
    assert unit.is_verified

    # 3. The unit's user signs in and asks for a new name: a change request, the unit unchanged.
    p.login("wangmin@example.cn", NEW_PASSWORD)
    p.goto(unit.get_absolute_url(), "own-unit")
    p.click(p.page.locator("main a.button", has_text="编辑"), "unit-edit")
    p.page.fill("#id_name", "晋中智能传感股份有限公司")
    p.click("main form button[type=submit]", "change-requested")
    assert "变更申请" in p.messages()
    unit.refresh_from_db()
    assert unit.name == "晋中智能传感科技有限公司"
    cr = UnitChangeRequest.objects.get(unit=unit)

    # 4. Staff approve it: the unit takes the new name.
    s.goto(cr.get_absolute_url(), "change-request")
    s.page.check("main input[name=confirm]")  # a decision that cannot be changed: a box to tick first
    s.click(s.page.locator("main button[value=approve]"), "change-approved")
    unit.refresh_from_db()
    assert unit.name == "晋中智能传感股份有限公司"


def test_password_reset_by_the_emailed_link_and_totp_enrolment(pages, make_user):
    user = make_user(Role.APPLICANT, username="j_forgetful", full_name="钱工", email="qian@example.cn")
    p = pages
    p.who = "user"
    p.page.goto(p.base_url + "/accounts/login/", timeout=60_000)  # the live server's first page
    p.shot("login")
    p.click(p.page.locator("main a", has_text="忘记密码"), "reset-form")
    p.page.fill("#id_email", "qian@example.cn")
    p.click("main form button[type=submit]", "reset-sent")
    # The link is mailed once the answer has been written (docs/security.md §51): the live server's thread may
    # still be closing the redirect when the next page has loaded.
    for _ in range(50):
        if mail.outbox:
            break
        time.sleep(0.1)
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    p.goto(link, "reset-link")
    p.page.fill("#id_new_password1", NEW_PASSWORD)
    p.page.fill("#id_new_password2", NEW_PASSWORD)
    p.click("main form button[type=submit]", "reset-complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and not user.check_password(PASSWORD)
    p.allowed.append("status of 400")  # a used link's page answers 400, as an invalid one (test_token_shapes)
    p.goto(link, "reset-link-used")  # the link works once
    assert p.page.locator("#id_new_password1").count() == 0

    p.login("j_forgetful", NEW_PASSWORD)
    p.goto("/accounts/profile/", "profile")
    p.click(p.page.locator("main a.button", has_text="启用双因素认证"), "totp-setup")
    assert p.page.locator("main svg, main img").count() >= 1  # the QR code
    assert p.page.locator("main form button[type=submit]", has_text="启用").count() == 1
