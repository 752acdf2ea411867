"""A registration post told whether an address had registered a pending unit (docs/security.md §35; §34 left it).

A post was checked with the address's own unconfirmed registrations set aside (§24, §28: so a name a stranger
squatted with her address does not refuse its owner). So a post naming a pending unit's name, credit code, short
or English name was refused (单位名称相同的单位已存在, 400) for every address but the registrant's, which was
accepted (kept apart, 200): guessing addresses for a known pending unit told, on a hit, which address registered
it and had not confirmed. Now every address's post is checked with the unconfirmed registrations holding the
unit's names set aside: the page is the same for the registrant's address, a fresh one and a known one (status
and body); what happens is told by mail to the address's owner — the registrant's kept-apart registration as
before, a fresh address's kept apart too with a word that another registration holds the unit, a known
address's owner the "someone tried" mail. The registration holding the names is untouched, and staff still
review it; the kept-apart one confirms once it is gone (withdrawn by staff, or lapsed), never before."""

import datetime
import re

import pytest
import time_machine
from django.core import mail

from kechuang.accounts import services
from kechuang.accounts.models import RegistrationClaim, Unit, User
from kechuang.accounts.tests.factories import _credit_code
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role

from .test_account_enumeration import PASSWORD, _form, _main
from .test_registration_address import _link

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_counters")]

UNIT = "晋中智能传感科技有限公司"
OWNER = "wang.min@example.cn"
FRESH = "li.na@example.cn"
KNOWN = "zhao.lei@example.cn"
HELD_WORDS = "目前由另一次尚未确认电子邮箱的注册使用"


def _pending(endorser, register):
    """V's registration of unit 1 (a short and an English name too), not confirmed; her e-mail."""
    register(_form(endorser, OWNER, 1) | {"short_name": "晋中传感", "name_en": "Jinzhong Sensing"})
    (message,) = mail.outbox
    mail.outbox.clear()
    return User.objects.get(email_key=OWNER), message


def _intact(victim):
    victim.refresh_from_db()
    unit = victim.unit
    assert victim.email == OWNER and victim.email_unconfirmed
    assert (unit.name, unit.short_name, unit.name_en) == (UNIT + "1", "晋中传感", "Jinzhong Sensing")
    assert unit.status == Unit.Status.PENDING and unit.credit_code == _credit_code(9401)
    assert not AuditEvent.objects.filter(action__in=["user.registration_withdraw", "unit.reject"]).exists()


def _refused(page, address):
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", _main(page, address))
    return re.sub(r'nonce="[^"]+"', "", text)


def _holding(field, n):
    """Unit n's form, but with unit 1's `field` (the pending registration's)."""
    first = {"name": UNIT + "1", "credit_code": _credit_code(9401), "short_name": "晋中传感"}
    return {field: (first | {"name_en": "Jinzhong Sensing"})[field]}


@pytest.mark.parametrize("field", ["name", "credit_code", "short_name", "name_en"])
def test_a_pending_units_names_answer_every_address_alike(endorser, register, make_user, field):
    victim, _own = _pending(endorser, register)
    make_user(Role.APPLICANT, email=KNOWN)
    pages = {}
    for n, address in enumerate((OWNER, FRESH, KNOWN), start=2):
        # on main: 200 for OWNER (kept apart), 400 for the others (the name is another unit's)
        pages[address] = register(_form(endorser, address, n) | _holding(field, n))
    typed = {a: (UNIT + "1" if field == "name" else UNIT + str(n)) for n, a in enumerate(pages, start=2)}
    bodies = {_main(page, address, typed[address]) for address, page in pages.items()}
    assert len(bodies) == 1, bodies
    # and the page a post naming a free unit with a fresh address gets
    baseline = register(_form(endorser, "new@example.cn", 9))
    assert _main(baseline, "new@example.cn", UNIT + "9") in bodies

    _intact(victim)
    # told by mail, to each address's owner only: the registrant's and the fresh address's kept apart with
    # their own links (the fresh one told another registration holds the unit), the known owner "someone tried"
    by_address = {m.to[0]: m for m in mail.outbox if m.to[0] != "new@example.cn"}
    assert set(by_address) == {OWNER, FRESH, KNOWN}
    assert HELD_WORDS not in by_address[OWNER].body and _link(by_address[OWNER])
    assert HELD_WORDS in by_address[FRESH].body and _link(by_address[FRESH])
    assert "此邮箱已有账号" in by_address[KNOWN].body
    assert set(RegistrationClaim.objects.values_list("email_key", flat=True)) == {OWNER, FRESH}
    assert not User.objects.filter(email_key=FRESH).exists()


def test_a_confirmed_registrants_unit_is_refused_to_every_address_alike(client, endorser, register):
    """Once its registrant confirmed the address (waiting for staff) the unit's name is refused — to her
    address as to any other: the same page, as before."""
    victim, own = _pending(endorser, register)
    assert client.post(_link(own), {"password": PASSWORD}).status_code == 200
    pages = [register(_form(endorser, a, 2) | {"name": UNIT + "1"}, status=400) for a in (OWNER, FRESH)]
    assert _refused(pages[0], OWNER) == _refused(pages[1], FRESH)
    assert not RegistrationClaim.objects.exists()


def test_the_registrants_own_flows_and_staffs_review_still_work(client, staff, endorser, register):
    victim, own = _pending(endorser, register)
    register(_form(endorser, FRESH, 2) | {"name": UNIT + "1"})
    (fresh_mail,) = mail.outbox
    # staff see the kept-apart registration and the pending one on their page
    client.force_login(staff)
    page = client.get("/accounts/users/registrations/").content.decode()
    assert OWNER in page and FRESH in page
    client.logout()
    # the registrant's own link confirms her registration; staff verify her unit; the other link then cannot
    assert client.post(_link(own), {"password": PASSWORD}).status_code == 200
    services.unit_verify(actor=staff, unit=victim.unit)
    victim.refresh_from_db()
    assert victim.is_active and not victim.email_unconfirmed and victim.unit.is_verified
    r = client.post(_link(fresh_mail), {"password": PASSWORD})
    assert r.status_code == 400 and "已是另一个单位的" in r.content.decode()
    assert not User.objects.filter(email_key=FRESH).exists()


def test_the_kept_apart_registration_confirms_once_staff_withdraw_the_holder(
    client, staff, endorser, register
):
    victim, _own = _pending(endorser, register)
    register(_form(endorser, FRESH, 2) | {"name": UNIT + "1"})
    (fresh_mail,) = mail.outbox
    link = _link(fresh_mail)
    r = client.post(link, {"password": PASSWORD})
    assert r.status_code == 400 and "仍由另一次尚未确认电子邮箱的注册使用" in r.content.decode()
    _intact(victim)
    services.registration_withdraw(actor=staff, user=victim, reason="不是本单位的注册")
    r = client.post(link, {"password": PASSWORD})
    assert r.status_code == 200, r.content.decode()
    (made,) = User.objects.filter(email_key=FRESH)
    assert made.unit.name == UNIT + "1" and not made.email_unconfirmed
    assert AuditEvent.objects.filter(action="unit.register", object_id=str(made.unit_id)).exists()


def test_the_kept_apart_registration_confirms_once_the_holder_lapsed(client, endorser, register, settings):
    start = datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC)
    hours = settings.KECHUANG_INVITATION_TIMEOUT / 3600
    with time_machine.travel(start, tick=False) as clock:
        victim, _own = _pending(endorser, register)
        clock.shift(datetime.timedelta(hours=hours / 2))
        register(_form(endorser, FRESH, 2) | {"name": UNIT + "1"})
        (fresh_mail,) = mail.outbox
        clock.shift(datetime.timedelta(hours=hours / 2 + 1))  # V's link lapsed, the kept-apart one lives
        r = client.post(_link(fresh_mail), {"password": PASSWORD})
        assert r.status_code == 200, r.content.decode()
    victim.refresh_from_db()
    assert victim.email == "" and "注册已撤回" in victim.unit.name
    assert AuditEvent.objects.filter(action="user.registration_withdraw", object_id=str(victim.pk)).exists()
    assert User.objects.get(email_key=FRESH).unit.name == UNIT + "1"


def test_a_withdrawn_registration_frees_its_short_and_english_names(staff, endorser, register):
    """Its name and credit code were freed (§20), its short and English names were not: check_names reads
    every unit's, so they were refused for good — to the unit registering again too."""
    victim, _own = _pending(endorser, register)
    services.registration_withdraw(actor=staff, user=victim, reason="重复注册")
    event = AuditEvent.objects.get(action="unit.reject", object_id=str(victim.unit_id))
    assert event.before["short_name"] == "晋中传感" and event.after["name_en"] == ""
    register(_form(endorser, FRESH, 2) | {"short_name": "晋中传感", "name_en": "Jinzhong Sensing"})
    assert Unit.objects.get(name=UNIT + "2").short_name == "晋中传感"
