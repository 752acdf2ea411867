"""An expert's past unit that the unit library does not hold, added from the picker's last line (Tom Select's
create option, worded 不在列表中，添加此单位): the unit waits for staff verification and is the past unit
recorded. Since the picker replaced the typed name, such a unit could not be recorded at all."""

import pytest

from kechuang.core.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_expert_adds_a_past_unit_not_in_the_library_from_the_picker(pages, make_user):
    from kechuang.accounts.models import Unit
    from kechuang.accounts.tests.factories import UnitFactory
    from kechuang.review.models import ExpertProfile
    from kechuang.review.tests.factories import ExpertProfileFactory

    user = make_user(Role.EXPERT, username="pu_expert", full_name="李研究员")
    ExpertProfileFactory(user=user, status=ExpertProfile.Status.DRAFT)
    UnitFactory(name="太原理工大学")
    p = pages
    p.who = "expert"
    p.login("pu_expert")
    p.goto("/review/profile/", "my-profile")
    f = p.page
    f.locator(".ts-wrapper:has(#id_u-unit-ts-control) .ts-control").click()
    f.keyboard.type("西北某新材料研究院")
    # the option follows the typing: wait for the whole name (a loaded machine showed it half typed)
    create = f.locator(".ts-dropdown .create", has_text="西北某新材料研究院")
    create.wait_for()
    assert "不在列表中，添加此单位" in create.inner_text()
    create.click()
    assert f.input_value("#id_u-unit") == "西北某新材料研究院"
    f.fill("#id_u-start", "2012-09-01")
    p.shot("past-unit-new-chosen")
    p.click("button[name=add_unit]", "past-unit-added")
    unit = Unit.objects.get(name="西北某新材料研究院")
    assert unit.status == Unit.Status.PENDING
    assert user.expert_profile.past_units.get().unit == unit
    assert "西北某新材料研究院" in f.content()
