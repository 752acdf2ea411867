"""A registration's password is hashed before its transaction, never under the locks (docs/security.md §35;
§33 left it).

A registration post holds the address's lock and the units' names' lock (§32, §33) — and, once it has set aside
the registrations holding its address or its unit's names, the audit chain's — to its end; on SQLite every
transaction holds the database's write lock (BEGIN IMMEDIATE). The password was hashed inside (Argon2: 0.1-0.8 s
in production), so every other registration, staff's unit writes and, on the kept-apart path, every audited
write of the site waited for each hash; a kept-apart registration's confirmation hashed again under the same
locks. Now the page hashes the posted password before its transaction and the services store that hash; a
confirmation stores the hash the kept-apart registration kept. Each post still pays one hash whichever way it
goes (new, kept apart, a known address), so the work tells nothing (§14, §28).

Checked on both databases: outside a transaction no transaction-level lock can be held (PostgreSQL's advisory
locks, SQLite's write lock); on PostgreSQL the backend's advisory locks are read too."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.db import connection

from kechuang.core.roles import Role

from .registering import attacker_form
from .test_account_enumeration import PASSWORD, _form
from .test_registration_address import _link

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_counters")]

UNIT = "晋中智能传感科技有限公司"


@pytest.fixture
def hashes(monkeypatch):
    """Every password hashed (or checked: MD5's check hashes) — whether a transaction was open, and on
    PostgreSQL how many advisory locks this connection held."""
    seen = []
    encode = MD5PasswordHasher.encode

    def watched(self, password, salt):
        locks = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    " AND pid = pg_backend_pid()"
                )
                locks = cursor.fetchone()[0]
        seen.append({"in_transaction": connection.in_atomic_block, "advisory_locks": locks})
        return encode(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", watched)
    return seen


def _post(client, data):
    r = client.post("/accounts/register/", data)
    assert r.status_code == 200, r.content.decode()[-2000:]


def _outside(seen, n):
    assert len(seen) == n, seen
    assert all(not h["in_transaction"] and not h["advisory_locks"] for h in seen), seen


def test_each_registration_post_hashes_once_outside_its_transaction(client, endorser, make_user, hashes):
    make_user(Role.APPLICANT, email="known@example.cn")
    hashes.clear()
    _post(client, _form(endorser, "wang.min@example.cn", 1))  # a new registration
    _outside(hashes, 1)
    _post(client, attacker_form(endorser, 2))  # its address pending: kept apart
    _outside(hashes, 2)
    _post(client, _form(endorser, "known@example.cn", 3))  # a known address: nothing made, the owner told
    _outside(hashes, 3)
    _post(client, _form(endorser, "li.na@example.cn", 4) | {"name": UNIT + "1"})  # its unit held: kept apart
    _outside(hashes, 4)


def test_a_kept_apart_confirmation_hashes_nothing_under_its_locks(client, endorser, hashes):
    _post(client, _form(endorser, "wang.min@example.cn", 1))
    _post(client, _form(endorser, "wang.min@example.cn", 2))  # kept apart beside the first
    link = _link(mail.outbox[-1])
    hashes.clear()
    r = client.post(link, {"password": PASSWORD})
    assert r.status_code == 200, r.content.decode()[-2000:]
    _outside(
        hashes, 1
    )  # the password checked against the kept hash, before the transaction; not hashed again
    from kechuang.accounts.models import User

    (user,) = User.objects.filter(email_key="wang.min@example.cn", email_unconfirmed=False)
    assert user.unit.name == UNIT + "2" and user.check_password(PASSWORD)
