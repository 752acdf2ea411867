"""Two confirmation links of one address pressed at one instant (docs/security.md §32; §31 left it).

The address's mailbox holds a link per registration made with it: the pending registration's own and one per
registration kept apart (§28). Each confirmation locked only its own row, so two pressed at once ran side by
side: each read the address as free, each went on to make its account, and each then waited for the other's
row (PostgreSQL broke the deadlock by ending one: a 500) — or, where no row was shared, both accounts were
made. The pending registration's own link, read before a kept-apart one won, confirmed the withdrawn account.
Now every confirmation takes the address first (`registrations.address_lock`) and reads what it confirms
again: the second finds it gone and is refused, with the words; one account holds the address.

The threads need PostgreSQL (or SQLite in a file: in-memory SQLite's shared cache locks tables without
waiting); the interleavings SQLite allows (a link's page read, then the other link's whole confirmation, then
the press) are played deterministically on both."""

import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from kechuang.accounts.models import RegistrationClaim, User
from kechuang.accounts.services import claims
from kechuang.core.models import AuditEvent

from .registering import ATTACKER_PASSWORD, VICTIM, attacker_form
from .test_account_enumeration import PASSWORD, _form
from .test_registration_address import _link

UNIT = "晋中智能传感科技有限公司"
SECOND_PASSWORD = "Second-Claim-Words-7!"  # pragma: allowlist secret


def _three_links(endorser, register):
    """V's registration (pending), then A's and B's with V's address (kept apart): their three links."""
    register(_form(endorser, VICTIM, 1))
    register(attacker_form(endorser, 2))
    register(_form(endorser, VICTIM, 3) | {"password1": SECOND_PASSWORD, "password2": SECOND_PASSWORD})
    own, first, second = (_link(m) for m in mail.outbox)
    assert RegistrationClaim.objects.filter(email_key=VICTIM).count() == 2
    return own, first, second


def _at_one_instant(monkeypatch, presses):
    """Post each (link, password) from its own thread and connection; the threads wait for each other past
    the password's check, so both confirmations start together. The responses' statuses and texts."""
    barrier = threading.Barrier(len(presses), timeout=30)
    checked = claims.check_password

    def check_then_wait(*args, **kwargs):
        ok = checked(*args, **kwargs)
        barrier.wait()
        return ok

    monkeypatch.setattr(claims, "check_password", check_then_wait)
    own_checked = User.check_password

    def own_check_then_wait(self, raw):
        ok = own_checked(self, raw)
        barrier.wait()
        return ok

    monkeypatch.setattr(User, "check_password", own_check_then_wait)
    answers = [None] * len(presses)

    def press(k, link, password):
        try:
            r = Client(raise_request_exception=False).post(link, {"password": password})
            answers[k] = (r.status_code, r.content.decode())
        except Exception as exc:  # pragma: no cover - reported below
            answers[k] = (500, repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(k, *p)) for k, p in enumerate(presses)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return answers


def _needs_threads():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite's shared cache locks tables without waiting; PostgreSQL or a file")


def _one_won(answers, refusal: str):
    statuses = sorted(status for status, _text in answers)
    assert statuses == [200, 400], answers
    (lost,) = [text for status, text in answers if status == 400]
    assert refusal in lost
    (account,) = User.objects.filter(email_key=VICTIM, email_unconfirmed=False)
    assert not RegistrationClaim.objects.filter(email_key=VICTIM).exists()
    assert AuditEvent.objects.filter(action="user.email_confirm").count() == 1
    return account


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_counters")
@pytest.mark.parametrize("pending", ["pending", "withdrawn"])
def test_two_kept_apart_links_pressed_at_once_make_one_account(
    endorser, register, monkeypatch, client_for, staff, pending
):
    _needs_threads()
    _own, first, second = _three_links(endorser, register)
    if pending == "withdrawn":  # no pending registration left to share: each locked only its own row
        holder = User.objects.get(email_key=VICTIM)
        r = client_for(staff).post(f"/accounts/users/registrations/{holder.pk}/withdraw/", {"confirm": "1"})
        assert r.status_code == 302
    answers = _at_one_instant(monkeypatch, [(first, ATTACKER_PASSWORD), (second, SECOND_PASSWORD)])
    account = _one_won(answers, "此电子邮箱刚刚已确认给另一次注册")
    assert account.unit.name in (UNIT + "2", UNIT + "3")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_counters")
def test_the_pending_link_and_a_kept_apart_one_pressed_at_once_confirm_one(endorser, register, monkeypatch):
    _needs_threads()
    own, first, _second = _three_links(endorser, register)
    answers = _at_one_instant(monkeypatch, [(own, PASSWORD), (first, ATTACKER_PASSWORD)])
    statuses = sorted(status for status, _text in answers)
    assert statuses == [200, 400], answers
    (account,) = User.objects.filter(email_key=VICTIM, email_unconfirmed=False)
    assert AuditEvent.objects.filter(action="user.email_confirm").count() == 1
    assert not RegistrationClaim.objects.filter(email_key=VICTIM).exists()
    assert account.email == VICTIM


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_counters")
def test_the_pending_link_read_before_a_kept_apart_one_won_confirms_nothing(
    client, endorser, register, monkeypatch
):
    """V opens her pending registration's link; before she presses, the kept-apart one is confirmed (its
    whole transaction in between, as SQLite's serial writes allow): her press is refused, not "confirmed"
    for an account withdrawn meanwhile."""
    own, first, _second = _three_links(endorser, register)
    own_checked = User.check_password
    other = Client()

    def claim_wins_first(self, raw):
        monkeypatch.setattr(User, "check_password", own_checked)
        assert other.post(first, {"password": ATTACKER_PASSWORD}).status_code == 200
        return own_checked(self, raw)

    monkeypatch.setattr(User, "check_password", claim_wins_first)
    r = client.post(own, {"password": PASSWORD})
    assert r.status_code == 400, r.content.decode()
    assert "此电子邮箱刚刚已确认给另一次注册" in r.content.decode()
    (account,) = User.objects.filter(email_key=VICTIM)
    assert account.unit.name == UNIT + "2"
    withdrawn = User.objects.get(unit__name__startswith=UNIT + "1")
    assert withdrawn.email == "" and withdrawn.email_unconfirmed
    assert AuditEvent.objects.filter(action="user.email_confirm").count() == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_counters")
def test_a_kept_apart_link_read_before_another_won_confirms_nothing(client, endorser, register, monkeypatch):
    _own, first, second = _three_links(endorser, register)
    checked = claims.check_password
    other = Client()

    def other_wins_first(*args, **kwargs):
        monkeypatch.setattr(claims, "check_password", checked)
        assert other.post(second, {"password": SECOND_PASSWORD}).status_code == 200
        return checked(*args, **kwargs)

    monkeypatch.setattr(claims, "check_password", other_wins_first)
    r = client.post(first, {"password": ATTACKER_PASSWORD})
    assert r.status_code == 400
    assert "此电子邮箱刚刚已确认给另一次注册" in r.content.decode()
    (account,) = User.objects.filter(email_key=VICTIM)
    assert account.unit.name == UNIT + "3"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_counters")
def test_a_kept_apart_link_pressed_while_staff_withdraw_the_pending_one_goes_through(
    endorser, register, staff
):
    """Staff withdraw the pending registration (not yet committed) as a kept-apart link is pressed: the
    confirmation waits for the row and then leaves the withdrawn registration out, instead of withdrawing it
    again and refusing (PostgreSQL: the only database where the two overlap)."""
    import time

    from django.db import transaction

    from kechuang.accounts import services

    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs the two one after the other (BEGIN IMMEDIATE)")
    _own, first, _second = _three_links(endorser, register)
    holder = User.objects.get(email_key=VICTIM)
    withdrawn, release = threading.Event(), threading.Event()

    def staff_withdraw():
        try:
            with transaction.atomic():
                services.registration_withdraw(actor=staff, user=holder, reason="不是本人")
                withdrawn.set()
                release.wait(30)
        finally:
            connection.close()

    answer = {}

    def press():
        try:
            r = Client(raise_request_exception=False).post(first, {"password": ATTACKER_PASSWORD})
            answer["r"] = (r.status_code, r.content.decode())
        finally:
            connection.close()

    staff_thread = threading.Thread(target=staff_withdraw)
    staff_thread.start()
    assert withdrawn.wait(30)
    press_thread = threading.Thread(target=press)
    press_thread.start()
    for _ in range(600):  # until the confirmation waits for a lock the withdrawal holds
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                break
        time.sleep(0.05)
    release.set()
    staff_thread.join(30)
    press_thread.join(60)
    assert answer["r"][0] == 200, answer
    (account,) = User.objects.filter(email_key=VICTIM)
    assert account.unit.name == UNIT + "2" and not account.email_unconfirmed
    assert AuditEvent.objects.filter(action="user.registration_withdraw").count() == 1


def _reads_meet(monkeypatch):
    """The one-address check (`User.clean`) of each request for V's address waits, after its read, for the
    other's read — or for the other to wait on V's address lock (PostgreSQL), whose holder then goes on: two
    requests not serialised both read the address free; serialised ones run one after the other."""
    import time

    from kechuang.accounts.models import fold_email
    from kechuang.accounts.services.registrations import ADDRESS_LOCK_SPACE

    arrived = []
    clean = User.clean

    def clean_then_meet(self):
        clean(self)
        if fold_email(self.email) != VICTIM:
            return
        arrived.append(self)
        for _ in range(400):
            if len(arrived) >= 2:
                return
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s AND NOT granted",
                    [ADDRESS_LOCK_SPACE],
                )
                if cursor.fetchone()[0]:
                    return
            time.sleep(0.05)

    monkeypatch.setattr(User, "clean", clean_then_meet)


def _at_once(calls):
    answers = [None] * len(calls)

    def run(k, post):
        try:
            r = post()
            answers[k] = (r.status_code, r.content.decode())
        except Exception as exc:  # pragma: no cover - reported below
            answers[k] = (500, repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(k, c)) for k, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return answers


def _posts(link=None, password=None, form=None):
    client = Client(raise_request_exception=False)
    if form is not None:
        return lambda: client.post("/accounts/register/", form)
    return lambda: client.post(link, {"password": password})


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_counters")
def test_a_new_registration_posted_as_a_kept_apart_one_is_confirmed_leaves_one_registration(
    endorser, register, monkeypatch, client_for, staff
):
    """No pending registration left (staff withdrew it), so a registration posted now is a new one, not kept
    apart; the kept-apart registration's link is pressed at the same instant. Both read the address free (the
    post took no lock of it): only the login name both made from its local part stopped a second account, the
    loser refused for "a user with that name" (400) or a 500 (PostgreSQL). Now the post takes the address first: either it is made and the confirmation withdraws it, or it finds the address
    confirmed and answers as to any known address (the owner told)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs the two one after the other (BEGIN IMMEDIATE)")
    _own, first, _second = _three_links(endorser, register)
    holder = User.objects.get(email_key=VICTIM)
    r = client_for(staff).post(f"/accounts/users/registrations/{holder.pk}/withdraw/", {"confirm": "1"})
    assert r.status_code == 302
    _reads_meet(monkeypatch)
    answers = _at_once([_posts(form=_form(endorser, VICTIM, 4)), _posts(first, ATTACKER_PASSWORD)])
    assert [status for status, _text in answers] == [200, 200], [(s, _why(t)) for s, t in answers]
    (account,) = User.objects.filter(email_key=VICTIM)
    assert not account.email_unconfirmed and account.unit.name == UNIT + "2"
    assert not RegistrationClaim.objects.filter(email_key=VICTIM).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_counters")
def test_two_new_registrations_posted_at_once_one_holds_the_address(endorser, monkeypatch):
    """Two registrations of a fresh address posted at one instant both found none pending and went on to hold
    it, the login name stopping one (400 for "a user with that name", or a 500; PostgreSQL). Now the second
    waits for the first and is kept apart beside it (§28)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs the two one after the other (BEGIN IMMEDIATE)")
    _reads_meet(monkeypatch)
    answers = _at_once([_posts(form=_form(endorser, VICTIM, 1)), _posts(form=attacker_form(endorser, 2))])
    assert [status for status, _text in answers] == [200, 200], [(s, _why(t)) for s, t in answers]
    (pending,) = User.objects.filter(email_key=VICTIM)
    assert pending.email_unconfirmed
    (kept,) = RegistrationClaim.objects.filter(email_key=VICTIM)
    assert {pending.unit.name, kept.unit_fields["name"]} == {UNIT + "1", UNIT + "2"}


def _why(text):
    import re

    body = re.sub(r"<[^>]+>", " ", text.split("<main", 1)[-1])
    return " ".join(body.split())[:400]
