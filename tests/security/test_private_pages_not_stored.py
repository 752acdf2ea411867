"""What a signed-in person reads is not kept by the browser (session 15's attacker review): no page, API answer,
export or download said how it may be cached, so the browser's disk cache held a person's applications,
review scores and exported workbooks after they signed out, and on a shared computer the back button (or the
cache folder) showed them to the next person. Every answer to a request that carries the session cookie or an
`Authorization` header is now `Cache-Control: private, no-store` (core.middleware.PrivateNoStoreMiddleware),
unless the view said otherwise; public pages read anonymously and the static files stay cacheable."""

import pytest
from django.test import Client

from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db


def _stored_nowhere(response) -> bool:
    parts = {p.strip() for p in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= parts


def test_a_signed_in_page_is_not_stored(make_user):
    c = Client()
    c.force_login(make_user(Role.APPLICANT))
    for url in ("/dashboard/", "/accounts/profile/", "/challenges/applications/"):
        r = c.get(url)
        assert r.status_code == 200, url
        assert _stored_nowhere(r), (url, r.get("Cache-Control"))


def test_a_signed_in_export_is_not_stored(make_user):
    c = Client()
    c.force_login(make_user(Role.STAFF))
    r = c.get("/challenges/applications/?export=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    assert _stored_nowhere(r)


def test_an_api_answer_is_not_stored(make_user):
    c = Client()
    c.force_login(make_user(Role.APPLICANT))
    r = c.get("/api/me/")
    assert r.status_code == 200 and _stored_nowhere(r)
    # a script's call carries its token in Authorization, and no cookie (the token services are not needed
    # to see the rule: the answer to any request with credentials is private)
    r = Client().get("/api/me/", HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert r.status_code == 401 and _stored_nowhere(r)


def test_a_refusal_to_a_signed_in_person_is_not_stored_either(make_user):
    c = Client()
    c.force_login(make_user(Role.APPLICANT))
    assert _stored_nowhere(c.get("/accounts/users/"))  # 403


def test_public_pages_read_anonymously_stay_cacheable():
    r = Client().get("/challenges/")
    assert r.status_code == 200
    assert "no-store" not in r.get("Cache-Control", "")


def test_a_page_a_mailed_link_opens_is_not_stored(client, django_capture_on_commit_callbacks):
    """The registration's confirmation link is opened without signing in, so the rule above did not reach it:
    its page (the registrant's address, name and unit) was cacheable by the browser and any cache on the way
    (session 20, sec7: docs/security.md §22). Answered, confirmed or refused, it is never stored."""
    from django.core import mail

    from kechuang.accounts.models import Unit
    from kechuang.accounts.tests.factories import UnitFactory

    from .test_account_enumeration import PASSWORD
    from .test_registration_address import _link, _register

    endorser = UnitFactory(name="晋中市科学技术局", kind=Unit.Kind.GOVERNMENT, credit_code="")
    _register(client, endorser, "wang.min@example.cn", 1, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    anonymous = Client()
    page = anonymous.get(link)
    assert page.status_code == 200 and "wang.min@example.cn" in page.content.decode()
    assert _stored_nowhere(page), page.get("Cache-Control")
    assert _stored_nowhere(anonymous.post(link, {"password": PASSWORD + "x"}))  # refused
    assert _stored_nowhere(anonymous.post(link, {"password": PASSWORD}))  # confirmed
    assert _stored_nowhere(Client().get(link[:-3] + "xx/"))  # a forged link's 400 too
