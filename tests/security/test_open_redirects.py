"""A form's `next` sends the person back only within the site (session 11's attacker review): the fact
queue's 采纳/驳回 and the technology gaps' 一键生成课题 redirected to whatever `next` was posted, so a page
elsewhere could send a signed-in member of staff to `https://evil.example/` right after they acted here."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from kechuang.core.redirects import back_or
from kechuang.ingest.tests.factories import FactFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "javascript:alert(1)",
    "http:evil.example",
]


@pytest.mark.parametrize("target", HOSTILE)
def test_a_foreign_next_falls_back_to_the_page_of_the_object(client_for, staff, target):
    fact = FactFactory()
    r = client_for(staff).post(reverse("ingest:fact-action", args=[fact.pk, "accept"]), {"next": target})
    assert r.status_code == 302 and r["Location"] == fact.get_absolute_url()


def test_a_next_on_the_site_is_followed(client_for, staff):
    fact = FactFactory()
    queue = reverse("ingest:fact-queue") + "?status=open"
    r = client_for(staff).post(reverse("ingest:fact-action", args=[fact.pk, "reject"]), {"next": queue})
    assert r.status_code == 302 and r["Location"] == queue


@pytest.mark.parametrize("target", HOSTILE)
def test_back_or_refuses_other_sites(target):
    request = RequestFactory().post("/x/", {"next": target})
    assert back_or(request, "/fallback/")["Location"] == "/fallback/"


def test_back_or_on_https_refuses_plain_http_to_the_same_host():
    request = RequestFactory().post("/x/", {"next": "http://testserver/a/"}, secure=True)
    assert back_or(request, "/fallback/")["Location"] == "/fallback/"
    request = RequestFactory().post("/x/", {"next": "/a/?b=1"}, secure=True)
    assert back_or(request, "/fallback/")["Location"] == "/a/?b=1"
