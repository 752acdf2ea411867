"""The platform pages never list every unit or user (a <select> over 50,000 units took 20 s a page view at
national size): units and operators are typed by name, and the list's host filter is an id from a link."""

import pytest

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.roles import Role
from kechuang.platforms.models import Operator
from kechuang.platforms.tests.factories import PlatformFactory

pytestmark = pytest.mark.django_db


def test_pages_do_not_list_the_unit_or_user_tables(client_for, staff, make_user):
    platform = PlatformFactory(consortium=True)
    others = [UnitFactory(name=f"无关单位{i:02d}") for i in range(12)]
    operators = [make_user(Role.OPERATOR, username=f"op_unrelated_{i}") for i in range(3)]
    c = client_for(staff)
    for url in (
        f"/platforms/{platform.pk}/",
        "/platforms/",
        f"/platforms/{platform.pk}/edit/",
        "/platforms/new/",
    ):
        body = c.get(url).content.decode()
        assert not any(u.name in body for u in others), url
        assert not any(o.username in body for o in operators), url


def test_member_host_and_operator_are_typed_by_name(client_for, staff, make_user):
    platform = PlatformFactory(consortium=True)
    unit = UnitFactory(name="太原理工大学测试")
    c = client_for(staff)
    c.post(
        f"/platforms/{platform.pk}/members/", {"unit": unit.name, "role": "member", "joined": "2021-03-10"}
    )
    assert platform.memberships.get().unit == unit
    missing = c.post(
        f"/platforms/{platform.pk}/members/",
        {"unit": "不存在的单位", "role": "member", "joined": "2021-03-10"},
        follow=True,
    )
    assert missing.status_code == 400 and platform.memberships.count() == 1  # refused on the page (walker6)
    op = make_user(Role.OPERATOR, username="op_typed")
    c.post(f"/platforms/{platform.pk}/operators/", {"user": "op_typed"})
    assert Operator.objects.filter(platform=platform, user=op).exists()
    # the edit form's picker holds the host (by name), and takes it back unchanged
    page = c.get(f"/platforms/{platform.pk}/edit/").content.decode()
    assert f'value="{platform.host.pk}" selected>{platform.host.name}' in page


def test_list_filters_by_host_id_from_a_link(client):
    a, b = PlatformFactory(name="甲平台"), PlatformFactory(name="乙平台")
    body = client.get(f"/platforms/?host={a.host_id}").content.decode()
    assert "甲平台" in body and "乙平台" not in body
    assert "乙平台" in client.get(f"/platforms/?host={b.host_id}").content.decode()
    assert client.get("/platforms/?host=junk").status_code == 200


def test_the_list_filters_by_host_unit_searched_by_name(client, client_for, staff):
    """The host filter had been a hidden input inside a visible label ("依托单位" over nothing): staff now
    search the unit by name; a visitor (no unit search) keeps a link's host without a bare label."""
    import re

    a, _b = PlatformFactory(name="甲平台"), PlatformFactory(name="乙平台")
    page = client_for(staff).get(f"/platforms/?host={a.host_id}").content.decode()
    assert "甲平台" in page and "乙平台" not in page
    picker = re.search(r'<select name="host"[^>]*data-picker="/pick/units/"[^>]*>(.*?)</select>', page, re.S)
    assert picker and f'value="{a.host_id}" selected>' in picker.group(1)  # the chosen unit, by name
    public = client.get(f"/platforms/?host={a.host_id}").content.decode()
    assert "乙平台" not in public and '<input type="hidden" name="host"' in public
    assert not re.search(r"<label>[^<]*<input type=\"hidden\"", public)
