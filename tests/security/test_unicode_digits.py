"""A digit Python's str.isdigit() takes but int() refuses — "²", "①" — in an id or a year answered 500 (docs/security.md
§31, the attacker's review of session 23).

Views read an id or a year from the query or the form as `int(raw) if raw.isdigit() else None`; isdigit() is
true of superscripts and circled digits, which int() refuses, so the request ended in a ValueError: the public
result search's ?year=, the public dashboard's ?region=, the object picker's ?kind= and the notifications' ids
(any signed-in person), the fact queue's ?document= (session 23's), the platform lineage's ?platform=. Each now
asks str.isdecimal() — exactly the digits int() reads — and treats anything else as it treats any other word."""

import pytest
from django.urls import reverse

from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db

ODD = ["²", "①", "1²"]


def _as(client_for, make_user, who):
    return client_for(None if who is None else make_user(who))


@pytest.mark.parametrize("value", ODD)
@pytest.mark.parametrize(
    ("who", "name", "param"),
    [
        (None, "registry:result-search", "year"),
        (None, "indicators:dashboard", "region"),
        (Role.APPLICANT, "web:pick-objects", "kind"),
        (Role.STAFF, "ingest:fact-queue", "document"),
        (None, "platforms:lineage", "platform"),
    ],
)
def test_an_odd_digit_in_a_query_is_no_server_error(client_for, make_user, who, name, param, value):
    r = _as(client_for, make_user, who).get(reverse(name), {param: value, "q": "山西"})
    assert r.status_code < 500, (name, value, r.status_code)


@pytest.mark.parametrize("value", ODD)
def test_an_odd_digit_among_the_notifications_marked_read_is_no_server_error(client_for, make_user, value):
    r = client_for(make_user(Role.APPLICANT)).post(reverse("web:notifications"), {"id": [value, "1"]})
    assert r.status_code == 302


@pytest.mark.parametrize("value", ODD)
def test_the_shared_readers_of_an_id_or_a_version_take_an_odd_digit_as_no_number(rf, value):
    """The helpers every list, edit page, picker and API write read through: a keyset list's ?after= (public
    lists), an edit form's version, the API's version, a picker field's value."""
    from kechuang.core import fields, pagination, services
    from kechuang.core.exceptions import ApplicationError

    assert pagination._cursor(value) is None
    assert services.posted_version(rf.post("/", {"version": value})) == services.NO_VERSION
    with pytest.raises(ApplicationError):
        services.expected_version({"version": value})
    from kechuang.accounts.models import Unit

    assert fields._lookup(Unit.objects.all(), "name", value) is None
