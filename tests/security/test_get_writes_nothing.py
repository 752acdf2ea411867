"""A GET changes nothing: every URL of the permission matrix, fetched as each role the matrix knows, writes no
row (a link, an image or a prefetch on another site can make a browser GET any URL in its person's name,
with no CSRF token to stop it). Only the session may change (a message shown, a key kept for a form).

It found the second-factor setup page making a device row on every first visit."""

from django.db import connection
from tests.test_permission_matrix import MATRIX, _url, client_as
from tests.test_permission_matrix import world as world  # the matrix's world, as a fixture of this module

ROLES = ("anonymous", "applicant", "expert_assigned", "commissioner", "operator", "staff")
ALLOWED_TABLES = ("django_session",)


def _writes(client, url: str) -> list[str]:
    seen = []

    def watch(execute, sql, params, many, context):
        head = sql.lstrip()[:6].upper()
        if head in ("INSERT", "UPDATE", "DELETE") and not any(t in sql for t in ALLOWED_TABLES):
            seen.append(sql[:100])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        client.get(url)
    return seen


def test_no_get_writes(world, db):
    found = []
    for entry in MATRIX:
        url = _url(world, entry)
        for role in ROLES:
            writes = _writes(client_as(world, role, url.startswith("/api/")), url)
            if writes:
                found.append(f"{role} GET {url}: {writes[0]}")
    assert not found, "GETs that wrote:\n  " + "\n  ".join(found)
