"""The forms anyone may post without signing in mail a person who did not ask: the password reset mails the
address's owner a link, a registration naming a known address mails its owner a notice (§14, §20). The only
limit was per client address (LOGIN_IP_MAX_ATTEMPTS, 30 posts in 5 minutes): one client could make the site
send a victim's mailbox 360 e-mails an hour, and many clients without end — mail bombing through the site,
which also spends its sending reputation. Mail that someone not signed in caused now counts per recipient
(KECHUANG_MAIL_TO_ADDRESS_MAX per KECHUANG_MAIL_TO_ADDRESS_WINDOW): past it nothing more goes to that address
in the window. The count is of the address typed, known or not, so the registration page saying its mail was
held back tells nobody anything (docs/security.md §22)."""

import pytest
from django.core import mail

from kechuang.accounts.models import Unit
from kechuang.accounts.tests.factories import UnitFactory

from .test_account_enumeration import _form, _main

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_counters")]


@pytest.fixture
def capped(settings):
    settings.KECHUANG_MAIL_TO_ADDRESS_MAX = 3
    settings.KECHUANG_MAIL_TO_ADDRESS_WINDOW = 3600


def _reset(client, address, n):
    return client.post("/accounts/password/reset/", {"email": address}, REMOTE_ADDR=f"10.9.{n}.1")


def test_password_resets_to_one_address_stop_at_the_limit_from_any_client(
    client, make_user, capped, one_window
):
    make_user(None, username="victim", email="victim@example.cn")
    make_user(None, username="other", email="other@example.cn")
    answers = [_reset(client, "Victim@Example.cn" if n % 2 else "victim@example.cn", n) for n in range(10)]
    assert {r.status_code for r in answers} == {302}  # the same answer each time: nothing told
    assert len([m for m in mail.outbox if m.to == ["victim@example.cn"]]) == 3
    # another address is its own count
    assert _reset(client, "other@example.cn", 99).status_code == 302
    assert [m.to for m in mail.outbox].count(["other@example.cn"]) == 1


def test_the_count_ends_with_its_window(client, make_user, capped):
    import time_machine

    make_user(None, username="victim", email="victim@example.cn")
    with time_machine.travel("2026-03-02 09:00 +0800", tick=False) as clock:
        for n in range(5):
            _reset(client, "victim@example.cn", n)
        assert len(mail.outbox) == 3
        clock.shift(3601)
        _reset(client, "victim@example.cn", 7)
        assert len(mail.outbox) == 4


def test_registrations_naming_a_known_address_stop_mailing_its_owner_at_the_limit(
    client, make_user, capped, django_capture_on_commit_callbacks
):
    import time_machine

    make_user(None, username="owner", email="owner@example.cn")
    endorser = UnitFactory(name="晋中市科学技术局", kind=Unit.Kind.GOVERNMENT, credit_code="")
    pages = []
    # the held-back page says how many minutes are left: the clock stands still so that a minute turning between
    # two posts (CI of b0de1d4: 8 分钟, then 7 分钟) does not make two pages differ
    with time_machine.travel("2026-03-02 09:00 +0800", tick=False):
        for n in range(6):
            with django_capture_on_commit_callbacks(execute=True):
                r = client.post(
                    "/accounts/register/", _form(endorser, "owner@example.cn", n), REMOTE_ADDR=f"10.8.{n}.1"
                )
            assert r.status_code == 200
            pages.append(_main(r, f"晋中智能传感科技有限公司{n}"))
    # word for word the same page while mail goes; past the limit the page says the mail was held back, as it
    # says for an unknown address at its limit (test_registration_link_renewed: nothing told)
    assert len(set(pages[:3])) == 1 and len(set(pages[3:])) == 1
    assert "确认邮件没有发出" in pages[3] and "确认邮件没有发出" not in pages[0]
    assert [m.to for m in mail.outbox].count(["owner@example.cn"]) == 3


def test_off_when_zero(client, make_user, settings):
    settings.KECHUANG_MAIL_TO_ADDRESS_MAX = 0
    make_user(None, username="victim", email="victim@example.cn")
    for n in range(6):
        _reset(client, "victim@example.cn", n)
    assert len(mail.outbox) == 6
