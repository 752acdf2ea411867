"""A merged, reorganised or retired platform keeps its record as it ended: its page offers no new host unit,
operator or member unit and says why; the services refuse them whatever sends them (the page, a stale tab, the
API), and a refused change from a stale tab comes back with what was typed and why."""

import datetime

import pytest

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.exceptions import ApplicationError
from kechuang.core.roles import Role
from kechuang.platforms import services
from kechuang.platforms.models import Affiliation, Membership, Operator
from kechuang.platforms.tests.factories import PlatformFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", ["merged", "reorganised", "retired"])
def test_the_services_refuse_a_new_host_operator_or_member_of_an_ended_platform(status, staff, make_user):
    platform = PlatformFactory(status=status, consortium=True)
    unit = UnitFactory()
    with pytest.raises(ApplicationError) as refused:
        services.platform_host_change(actor=staff, platform=platform, unit=unit, on=datetime.date(2026, 3, 1))
    assert refused.value.code == "invalid_state" and "不再变更" in str(refused.value)
    with pytest.raises(ApplicationError):
        services.operator_assign(actor=staff, platform=platform, user=make_user(Role.OPERATOR))
    with pytest.raises(ApplicationError):
        services.membership_add(actor=staff, platform=platform, unit=unit, joined=datetime.date(2026, 3, 1))
    platform.refresh_from_db()
    assert platform.host_id != unit.pk
    assert not Affiliation.objects.filter(platform=platform, unit=unit).exists()
    assert not Operator.objects.filter(platform=platform).exists()
    assert not Membership.objects.filter(platform=platform).exists()


def test_a_live_platform_still_takes_them(staff, make_user):
    platform = PlatformFactory(consortium=True)
    unit = UnitFactory()
    services.platform_host_change(actor=staff, platform=platform, unit=unit, on=datetime.date(2026, 3, 1))
    services.operator_assign(actor=staff, platform=platform, user=make_user(Role.OPERATOR))
    services.membership_add(
        actor=staff, platform=platform, unit=UnitFactory(), joined=datetime.date(2026, 3, 1)
    )
    platform.refresh_from_db()
    assert (
        platform.host_id == unit.pk and platform.operators.count() == 1 and platform.memberships.count() == 1
    )


def test_an_ended_platforms_page_offers_none_of_them_and_says_why(client_for, staff, english):
    platform = PlatformFactory(status="merged", consortium=True)
    c = client_for(staff)
    page = c.get(platform.get_absolute_url()).content.decode()
    assert f"/platforms/{platform.pk}/host/" not in page
    assert f"/platforms/{platform.pk}/operators/" not in page
    assert f"/platforms/{platform.pk}/members/" not in page
    assert "该平台状态为“已合并”：依托单位、运营人员和成员单位不再变更" in page
    # the achievements form stays: a merged platform's past results are still recorded
    assert f"/platforms/{platform.pk}/achievements/" in page
    english_page = english(c).get(platform.get_absolute_url()).content.decode()
    assert "no longer change" in english_page and "该平台状态" not in english_page


def test_a_live_platforms_page_offers_them_without_the_note(client_for, staff):
    platform = PlatformFactory(consortium=True)
    page = client_for(staff).get(platform.get_absolute_url()).content.decode()
    assert f"/platforms/{platform.pk}/host/" in page and f"/platforms/{platform.pk}/members/" in page
    assert 'id="ended-note"' not in page


def test_a_host_change_from_a_stale_tab_comes_back_with_what_was_typed_and_why(client_for, staff):
    platform = PlatformFactory(status="merged")
    unit = UnitFactory(name="晋城光伏材料研究院")
    r = client_for(staff).post(
        f"/platforms/{platform.pk}/host/", {"unit": unit.pk, "on": "2026-03-01", "reason": "依托单位改制"}
    )
    page = r.content.decode()
    assert r.status_code == 400
    assert "该平台状态为“已合并”，依托单位、运营人员和成员单位不再变更。" in page
    assert 'value="依托单位改制"' in page and "晋城光伏材料研究院" in page
    platform.refresh_from_db()
    assert platform.host_id != unit.pk
