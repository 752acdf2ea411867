"""Two writes of one unit name or credit code at one instant (docs/security.md §33).

A unit's name and credit code are unique in the database, its short and English names only by the check before
the write (`services.check_names`, §27). Every path that makes or renames a unit — the registration page, a
kept-apart registration's confirmation, staff's edit page and API, the admin, the import, an expert's past unit
— checked first and wrote after, with nothing held in between: two such requests at one instant both found the
name free, and the second write ended in the database's IntegrityError (a 500) or, for a short or English name,
went through (two units known by one short name, which the ingest links mentions by). Now each takes the
unit names' lock (`services.unit_names_lock`) before it reads anything of them: the second waits, reads the
first's unit and is refused with the field's words (400), never a 500.

The threads need PostgreSQL (SQLite begins every transaction IMMEDIATE: writes are serial there already). Each
request's write of the contested unit waits, just before it, for the other request to reach its own write or
to wait for the lock: two requests not serialised both write; serialised ones run one after the other."""

import threading
import time

import pytest
from django.db import connection
from django.db.models import Q
from django.test import Client
from rest_framework.test import APIClient

from kechuang.accounts.models import RegistrationClaim, Unit, User
from kechuang.accounts.tests.factories import UnitFactory, _credit_code

from .test_account_enumeration import _form

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_counters")]

NAME = "晋中智能传感科技有限公司"


def _needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs the two one after the other (BEGIN IMMEDIATE)")


def _writes_meet(monkeypatch, contested):
    """Each save of a unit `contested(unit)` names waits, before writing, for the other's or for a request
    waiting on the unit names' lock (PostgreSQL's advisory locks of its space)."""
    from kechuang.accounts.services import units

    space = getattr(units, "UNIT_NAMES_LOCK_SPACE", 29)
    arrived = set()
    save = Unit.save

    def meet_then_save(self, *args, **kwargs):
        if contested(self) and threading.get_ident() not in arrived:
            arrived.add(threading.get_ident())
            for _ in range(300):
                if len(arrived) >= 2:
                    break
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s"
                        " AND NOT granted",
                        [space],
                    )
                    if cursor.fetchone()[0]:
                        break
                time.sleep(0.05)
        return save(self, *args, **kwargs)

    monkeypatch.setattr(Unit, "save", meet_then_save)


def _at_once(calls):
    answers = [None] * len(calls)

    def run(k, call):
        try:
            r = call()
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


def _one_refused(answers, ok: int, words: str):
    statuses = sorted(status for status, _text in answers)
    assert statuses == sorted([ok, 400]), [(s, t[:300] if s == 500 else _why(t)) for s, t in answers]
    (lost,) = [text for status, text in answers if status == 400]
    assert words in lost, _why(lost)


def _why(text):
    import re

    body = re.sub(r"<[^>]+>", " ", text.split("<main", 1)[-1])
    return " ".join(body.split())[:400]


def _register(data):
    return lambda: Client(raise_request_exception=False).post("/accounts/register/", data)


def _api(user, method, url, data):
    def call():
        client = APIClient(raise_request_exception=False)
        client.force_authenticate(user)
        return getattr(client, method)(url, data, format="json")

    return call


def _one_kept_apart(answers, contested):
    """Two registrations of one unit at one instant, serialised: the first made its unit, the second found it
    held by a registration not yet confirmed and was kept apart (§35: the page is the same as the first's),
    never a 500, never two units."""
    assert [status for status, _text in answers] == [200, 200], [(s, _why(t)) for s, t in answers]
    (unit,) = Unit.objects.filter(contested)
    (registrant,) = User.objects.filter(unit=unit)
    (claim,) = RegistrationClaim.objects.all()
    assert {registrant.email_key, claim.email_key} == {"a@example.cn", "b@example.cn"}
    assert User.objects.filter(email_key__in=["a@example.cn", "b@example.cn"]).count() == 1


def test_two_registrations_of_one_unit_name_at_once_one_is_kept_apart(endorser, monkeypatch):
    _needs_postgresql()
    _writes_meet(monkeypatch, lambda u: u.name == NAME)
    first = _form(endorser, "a@example.cn", 1) | {"name": NAME}
    second = _form(endorser, "b@example.cn", 2) | {"name": NAME}
    answers = _at_once([_register(first), _register(second)])
    _one_kept_apart(answers, Q(name=NAME))


def test_two_registrations_of_one_credit_code_at_once_one_is_kept_apart(endorser, monkeypatch):
    _needs_postgresql()
    code = _credit_code(9501)
    _writes_meet(monkeypatch, lambda u: u.credit_code == code)
    first = _form(endorser, "a@example.cn", 1) | {"credit_code": code}
    second = _form(endorser, "b@example.cn", 2) | {"credit_code": code}
    answers = _at_once([_register(first), _register(second)])
    _one_kept_apart(answers, Q(credit_code=code))


def _api_unit(name, n):
    return {
        "name": name,
        "kind": "enterprise",
        "credit_code": _credit_code(9600 + n),
        "province": "山西",
        "city": "晋中",
    }


def test_staff_create_one_credit_code_twice_at_once_one_is_refused(staff, monkeypatch):
    _needs_postgresql()
    code = _credit_code(9601)
    _writes_meet(monkeypatch, lambda u: u.credit_code == code)
    answers = _at_once([_api(staff, "post", "/api/units/", _api_unit(f"{NAME}{k}", 1)) for k in (1, 2)])
    _one_refused(answers, 201, "已有单位使用这个统一社会信用代码")
    assert Unit.objects.filter(credit_code=code).count() == 1


def test_staff_create_one_unit_name_twice_at_once_one_is_refused(staff, monkeypatch):
    _needs_postgresql()
    _writes_meet(monkeypatch, lambda u: u.name == NAME)
    answers = _at_once([_api(staff, "post", "/api/units/", _api_unit(NAME, k)) for k in (1, 2)])
    _one_refused(answers, 201, "单位名称")
    assert Unit.objects.filter(name=NAME).count() == 1


def test_staff_rename_two_units_to_one_name_at_once_one_is_refused(staff, monkeypatch):
    _needs_postgresql()
    units = [UnitFactory(), UnitFactory()]
    _writes_meet(monkeypatch, lambda u: u.name == NAME)
    answers = _at_once([_api(staff, "patch", f"/api/units/{u.pk}/", {"name": NAME}) for u in units])
    _one_refused(answers, 200, "单位名称")
    assert Unit.objects.filter(name=NAME).count() == 1


def test_staff_give_two_units_one_short_name_at_once_one_is_refused(staff, monkeypatch):
    """No constraint in the database: before the lock both went through, two units known by one short name."""
    _needs_postgresql()
    units = [UnitFactory(), UnitFactory()]
    _writes_meet(monkeypatch, lambda u: u.short_name == "晋传感")
    answers = _at_once([_api(staff, "patch", f"/api/units/{u.pk}/", {"short_name": "晋传感"}) for u in units])
    _one_refused(answers, 200, "晋传感")
    assert Unit.objects.filter(short_name="晋传感").count() == 1


def test_staff_give_two_units_one_english_name_at_once_one_is_refused(staff, monkeypatch):
    _needs_postgresql()
    units = [UnitFactory(), UnitFactory()]
    english = "Jinzhong Smart Sensing Co., Ltd."
    _writes_meet(monkeypatch, lambda u: u.name_en == english)
    answers = _at_once([_api(staff, "patch", f"/api/units/{u.pk}/", {"name_en": english}) for u in units])
    _one_refused(answers, 200, english)
    assert Unit.objects.filter(name_en=english).count() == 1


def test_a_registration_and_an_experts_past_unit_of_one_name_at_once(endorser, monkeypatch, expert):
    """An expert adds a past unit by its name (`unit_propose`) as the unit registers itself: the one second
    finds the unit the first made (the expert's row names it; the registration takes it over, §22, or is
    refused for its name), never a 500."""
    from kechuang.accounts import services

    _needs_postgresql()
    _writes_meet(monkeypatch, lambda u: u.name == NAME)
    answers = [None]

    def propose():
        from types import SimpleNamespace

        try:
            unit = services.unit_propose(actor=expert, name=NAME)
            answers[0] = unit.pk
        except Exception as exc:  # pragma: no cover - reported below
            answers[0] = repr(exc)
        finally:
            connection.close()
        return SimpleNamespace(status_code=200, content=b"")

    registered = _at_once([_register(_form(endorser, "a@example.cn", 1) | {"name": NAME}), propose])
    assert isinstance(answers[0], int), answers
    assert registered[0][0] in (200, 400), registered[0][0]
    assert registered[0][0] != 500
    (unit,) = Unit.objects.filter(name=NAME)
    assert unit.pk == answers[0]


def test_two_admin_adds_of_one_unit_name_at_once_one_is_refused(admin_user, monkeypatch):
    _needs_postgresql()
    _writes_meet(monkeypatch, lambda u: u.name == NAME)

    def add(n):
        def call():
            client = Client(raise_request_exception=False)
            client.force_login(admin_user)
            data = _api_unit(NAME, n) | {
                "province": "140000",
                "city": "晋中市",
                "is_active": "on",
                "contact_phone": "",
            }
            return client.post("/admin/accounts/unit/add/", data)

        return call

    answers = _at_once([add(1), add(2)])
    statuses = sorted(s for s, _t in answers)
    assert statuses == [200, 302], [(s, t[:300] if s == 500 else "") for s, t in answers]
    (lost,) = [t for s, t in answers if s == 200]
    assert "单位名称" in lost and "已存在" in lost
    assert Unit.objects.filter(name=NAME).count() == 1
