"""Staff see, resend and void the registrations kept apart (docs/security.md §30; §28 left it).

A registration posted with an address that an unconfirmed registration holds is kept apart
(`RegistrationClaim`, §28) and mailed its own link — unless the per-address mail limit (§22) held the mail
back, and then nothing, not even staff's registrations page, showed it: staff could not resend it. Now the page
lists each kept-apart registration beside the pending registration it contends with (who, when, mailed or held
back, its state), in Chinese and English; staff may mail its link again — within the same per-address limit,
the page saying in how many minutes when it refuses — or void it (a ticked box; irreversible). Every step is
staff's only, audited, one transaction."""

import datetime

import pytest
from django.core import mail
from django.core.cache import cache

from kechuang.accounts.models import RegistrationClaim, User
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role

from .registering import ATTACKER_PASSWORD, VICTIM, attacker_form
from .test_account_enumeration import _form
from .test_registration_address import _link

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_counters")]

PAGE = "/accounts/users/registrations/"
UNIT = "晋中智能传感科技有限公司"


def _resend(claim):
    return f"/accounts/users/registrations/claims/{claim.pk}/resend/"


def _void(claim):
    return f"/accounts/users/registrations/claims/{claim.pk}/withdraw/"


@pytest.fixture
def held_claim(settings, endorser, register, one_window):
    """V registered (mailed); A's registration with V's address was kept apart and its mail held back by the
    per-address limit (one mail an hour here). The clock stands still for the whole test (one_window): an hour
    turning between the two registrations, or before a test's resend, would let the held mail go."""
    settings.KECHUANG_MAIL_TO_ADDRESS_MAX = 1
    register(_form(endorser, VICTIM, 1))
    register(attacker_form(endorser))
    mail.outbox.clear()
    claim = RegistrationClaim.objects.get(email_key=VICTIM)
    assert claim.sent_at is None
    return claim


def _section(page, pk) -> str:
    text = page.content.decode()
    start = text.index(f'id="registration-{pk}"')
    return text[start : text.index("</section>", start)]


def test_the_page_lists_a_claim_beside_the_registration_it_contends_with(client_for, staff, held_claim):
    victim = User.objects.get(email_key=VICTIM)
    page = client_for(staff).get(PAGE)
    assert page.status_code == 200
    beside = _section(page, victim.pk)
    assert f'id="claim-{held_claim.pk}"' in beside and UNIT + "2" in beside
    assert "未能发出：发往此邮箱的邮件已达时段上限" in beside  # held back
    assert "待确认，链接有效至" in beside  # its state
    assert _resend(held_claim) in beside and _void(held_claim) in beside


def test_the_page_reads_in_english(staff, held_claim, english_client_for):
    client = english_client_for(staff)
    text = client.get(PAGE).content.decode()
    assert f'id="claim-{held_claim.pk}"' in text
    for chinese in ("另行保存", "未能发出", "待确认，链接有效至", "作废这次注册", "确认作废"):
        assert chinese not in text, chinese


def test_staff_resend_respects_the_mail_limit_and_says_when(
    client_for, staff, held_claim, django_capture_on_commit_callbacks
):
    client = client_for(staff)
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(_resend(held_claim))
    assert refused.status_code == 400 and not mail.outbox
    assert "分钟后再重新发送" in refused.content.decode()
    held_claim.refresh_from_db()
    assert held_claim.sent_at is None
    event = AuditEvent.objects.get(action="user.registration_mail_held", object_id=str(held_claim.pk))
    assert event.actor_id == staff.pk and event.after["retry_after"] > 0
    assert not AuditEvent.objects.filter(action="user.registration_claim_resend").exists()

    cache.clear()  # the address's window passed
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(_resend(held_claim))
    assert done.status_code == 302
    (sent,) = mail.outbox
    assert sent.to == [VICTIM] and UNIT + "2" in sent.body
    held_claim.refresh_from_db()
    assert held_claim.sent_at is not None
    event = AuditEvent.objects.get(action="user.registration_claim_resend", object_id=str(held_claim.pk))
    assert event.actor_id == staff.pk
    assert "未能发出" not in _section(client.get(PAGE), User.objects.get(email_key=VICTIM).pk)
    # the link mailed confirms the kept-apart registration with its own password
    assert client_for(None).post(_link(sent), {"password": ATTACKER_PASSWORD}).status_code == 200


def test_staff_void_a_claim_only_ticked_for_good(
    client_for, staff, held_claim, settings, django_capture_on_commit_callbacks
):
    settings.KECHUANG_MAIL_TO_ADDRESS_MAX = 0
    client = client_for(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_resend(held_claim))
    (link_mail,) = mail.outbox
    not_ticked = client.post(_void(held_claim), {"reason": "非本人"})
    assert not_ticked.status_code == 400 and "请勾选确认" in not_ticked.content.decode()
    assert RegistrationClaim.objects.filter(pk=held_claim.pk).exists()
    assert not AuditEvent.objects.filter(action="user.registration_claim_withdraw").exists()

    done = client.post(_void(held_claim), {"reason": "非本人", "confirm": "1"})
    assert done.status_code == 302 and not RegistrationClaim.objects.exists()
    event = AuditEvent.objects.get(action="user.registration_claim_withdraw", object_id=str(held_claim.pk))
    assert event.actor_id == staff.pk and event.reason == "非本人" and event.before["email"] == VICTIM
    # irreversible: its link confirms nothing; the registration holding the address is untouched
    assert client_for(None).post(_link(link_mail), {"password": ATTACKER_PASSWORD}).status_code == 400
    victim = User.objects.get(email_key=VICTIM)
    assert victim.email_unconfirmed and victim.unit.name == UNIT + "1"
    # a second press (another tab): nothing to act on, said
    again = client.post(_void(held_claim), {"confirm": "1"}, follow=True)
    assert "没有可处理的了" in again.content.decode()


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.EXPERT, Role.COMMISSIONER])
def test_no_one_but_staff_resends_or_voids(client_for, make_user, held_claim, role):
    client = client_for(make_user(role))
    before = AuditEvent.objects.count()
    assert client.post(_resend(held_claim)).status_code == 403
    assert client.post(_void(held_claim), {"confirm": "1"}).status_code == 403
    assert client.get(PAGE).status_code == 403
    assert RegistrationClaim.objects.filter(pk=held_claim.pk, sent_at=None).exists()
    assert AuditEvent.objects.count() == before and not mail.outbox


def test_get_changes_nothing(client_for, staff, held_claim):
    client = client_for(staff)
    assert client.get(_resend(held_claim)).status_code == 405
    assert client.get(_void(held_claim)).status_code == 405
    assert RegistrationClaim.objects.filter(pk=held_claim.pk).exists()


def test_a_claim_whose_registration_was_withdrawn_is_still_listed(client_for, staff, held_claim):
    victim = User.objects.get(email_key=VICTIM)
    client = client_for(staff)
    assert (
        client.post(f"/accounts/users/registrations/{victim.pk}/withdraw/", {"confirm": "1"}).status_code
        == 302
    )
    text = client.get(PAGE).content.decode()
    alone = text[text.index('id="claims-alone"') :]
    assert f'id="claim-{held_claim.pk}"' in alone


def test_a_lapsed_claim_is_not_resent(client_for, staff, held_claim, settings):
    RegistrationClaim.objects.filter(pk=held_claim.pk).update(
        created_at=held_claim.created_at
        - datetime.timedelta(seconds=settings.KECHUANG_INVITATION_TIMEOUT + 1)
    )
    cache.clear()
    # the page says why its resend button is not there (§32)
    row = client_for(staff).get(PAGE).content.decode().split(f'id="claim-{held_claim.pk}"', 1)[1]
    row = row.split("</tr>", 1)[0]
    assert _resend(held_claim) not in row and "已过期，不能重新发送" in row
    r = client_for(staff).post(_resend(held_claim))
    assert r.status_code == 400 and "已过期，不能重新发送" in r.content.decode() and not mail.outbox


def test_a_flood_of_claims_shows_so_many_and_says_how_many_more(client_for, staff, held_claim):
    """Anyone may post a registration with the address: the page lists the oldest twenty beside it."""
    for n in range(21):
        RegistrationClaim.objects.create(email=VICTIM, password="!", unit_fields={"name": f"单位{n}"})
    page = client_for(staff).get(PAGE)
    beside = _section(page, User.objects.get(email_key=VICTIM).pk)
    assert beside.count('<tr id="claim-') == 20 and f'id="claim-{held_claim.pk}"' in beside
    assert "还有 2 次用此电子邮箱提交的注册未列出" in beside
