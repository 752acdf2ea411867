"""A registration's confirmation the per-address mail limit held back (§22) is said on the page, identically
for a known and an unknown address, shown on staff's page and resent there within the same limit, audited
(docs/security.md §22, §32).
(Registering again with an unconfirmed address no longer renews the earlier registration's link: the new
registration replaces it, §24, test_registration_replaced.py.)"""

import pytest
from django.core import mail
from django.core.cache import cache

from kechuang.accounts.models import User
from kechuang.core.models import AuditEvent

from .test_account_enumeration import PASSWORD, _form, _main
from .test_registration_address import _link

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_counters")]


def _post(client, endorser, email, n, capture, ip="10.7.0.1"):
    with capture(execute=True):
        r = client.post("/accounts/register/", _form(endorser, email, n), REMOTE_ADDR=ip)
    assert r.status_code == 200, r.context["form"].errors
    return r


def test_a_held_confirmation_is_said_on_the_page_shown_to_staff_and_resent(
    client, client_for, staff, settings, endorser, django_capture_on_commit_callbacks, one_window
):
    settings.KECHUANG_MAIL_TO_ADDRESS_MAX = 2
    # someone spent the address's share on password resets (counted whether or not an account has it)
    for n in range(2):
        client.post("/accounts/password/reset/", {"email": "li.na@example.cn"}, REMOTE_ADDR=f"10.6.{n}.1")
    r = _post(client, endorser, "li.na@example.cn", 1, django_capture_on_commit_callbacks)
    page = r.content.decode()
    assert "确认邮件没有发出" in page and "联系科技厅工作人员" in page and 'id="mail-held"' in page
    assert mail.outbox == []
    registrant = User.objects.get(email="li.na@example.cn")
    assert registrant.email_confirm_sent_at is None and registrant.email_unconfirmed
    held = AuditEvent.objects.get(action="user.registration_mail_held")
    assert held.object_id == str(registrant.pk) and held.after["email"] == "li.na@example.cn"
    staff_page = client_for(staff).get("/accounts/users/registrations/").content.decode()
    assert "li.na@example.cn" in staff_page and "未能发出" in staff_page
    # staff's resend counts against the same limit (§32): refused in this window, saying when; then sent
    with django_capture_on_commit_callbacks(execute=True):
        held_again = client_for(staff).post(f"/accounts/users/registrations/{registrant.pk}/resend/")
    assert held_again.status_code == 400 and "分钟后再重新发送" in held_again.content.decode()
    assert mail.outbox == []
    cache.clear()  # the address's window passed
    with django_capture_on_commit_callbacks(execute=True):
        resent = client_for(staff).post(f"/accounts/users/registrations/{registrant.pk}/resend/")
    assert resent.status_code == 302 and [m.to for m in mail.outbox] == [["li.na@example.cn"]]
    assert "未能发出" not in client_for(staff).get("/accounts/users/registrations/").content.decode()
    assert client.post(_link(mail.outbox[0]), {"password": PASSWORD}).status_code == 200


def test_the_held_page_is_the_same_for_a_known_and_an_unknown_address(
    client, make_user, settings, endorser, django_capture_on_commit_callbacks
):
    settings.KECHUANG_MAIL_TO_ADDRESS_MAX = 1
    make_user(None, username="owner", email="owner@example.cn")
    import time_machine

    pages = {}
    # the page says how many minutes are left: the clock stands still so a minute turning cannot tell them apart
    with time_machine.travel("2026-03-02 09:00 +0800", tick=False):
        for n, address in enumerate(["owner@example.cn", "nobody@example.cn"]):
            client.post("/accounts/password/reset/", {"email": address}, REMOTE_ADDR=f"10.5.{n}.1")
            r = _post(client, endorser, address, n, django_capture_on_commit_callbacks, ip=f"10.4.{n}.1")
            pages[address] = _main(r, address, f"晋中智能传感科技有限公司{n}")
    assert pages["owner@example.cn"] == pages["nobody@example.cn"]
    assert "确认邮件没有发出" in pages["owner@example.cn"]
    assert [m.to for m in mail.outbox] == [["owner@example.cn"]]  # the reset only
