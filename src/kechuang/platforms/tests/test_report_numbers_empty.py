"""A new yearly report's numbers start empty, not at 0: a number never filled in is refused beside its field
(a real none is typed as 0), not saved as 0; the rest of the form comes back as typed."""

import re

import pytest

from kechuang.core.roles import Role
from kechuang.platforms import services
from kechuang.platforms.models import REPORT_NUMBERS
from kechuang.platforms.tests.factories import PlatformFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_client(make_user, client_for, staff):
    p = PlatformFactory()
    op = make_user(Role.OPERATOR)
    services.operator_assign(actor=staff, platform=p, user=op)
    return p, client_for(op)


def test_the_numbers_start_empty(operator_client):
    p, c = operator_client
    page = c.get(f"/platforms/reports/new/?platform={p.pk}").content.decode()
    for name in REPORT_NUMBERS:
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
        assert "value=" not in tag, tag


def test_a_number_left_empty_is_refused_not_saved_as_zero(operator_client):
    p, c = operator_client
    data = {"platform": p.pk, "year": 2022, "summary": "本年度总结"} | {n: "3" for n in REPORT_NUMBERS}
    data["papers"] = ""
    r = c.post("/platforms/reports/new/", data)
    assert r.status_code == 400 and not p.reports.exists()
    form = r.context["form"]
    assert list(form.errors) == ["papers"] and "没有则填 0" in form.errors["papers"][0]
    assert form["staff"].value() == "3" and form["summary"].value() == "本年度总结"
    data["papers"] = "0"  # a real none, typed
    assert c.post("/platforms/reports/new/", data).status_code == 302
    assert p.reports.get().papers == 0 and p.reports.get().staff == 3


def test_an_operator_of_one_platform_finds_it_chosen(operator_client):
    """people38: the form asked an operator of one platform to choose it from a list of one."""
    p, c = operator_client
    page = c.get("/platforms/reports/new/").content.decode()
    assert re.search(rf'<option value="{p.pk}" selected>', page)
