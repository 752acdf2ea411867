"""The per-address lock of registrations and confirmations (`services.address_lock`, docs/security.md §32) holds any
address, the empty one included: its key is the address's CRC-32 moved into a signed 32-bit range, and the empty
address's (CRC-32 0) is the least such integer, which PostgreSQL read as out of range when Django bound it into the
statement's text unbracketed (`-2147483648::integer`; an empty registration form answered 500, CI1 of session 31)."""

import zlib

import pytest
from django.db import transaction

from kechuang.accounts import services


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["", "a@example.org", "Zhang.San@Example.ORG", "张三@例子.中国"])
def test_any_address_is_held_until_the_transaction_ends(email):
    with transaction.atomic():
        services.address_lock(email)


@pytest.mark.django_db
@pytest.mark.parametrize("crc", [0, 2**31, 2**32 - 1])
def test_the_keys_at_the_ends_of_the_range_are_held(monkeypatch, crc):
    monkeypatch.setattr(zlib, "crc32", lambda data: crc)
    with transaction.atomic():
        services.address_lock("x@example.org")


@pytest.mark.django_db
def test_an_empty_registration_form_is_refused_by_its_fields_not_a_server_error(client):
    page = client.post("/accounts/register/", {})
    assert page.status_code in (200, 400), page.status_code
    assert "email" in page.content.decode()
