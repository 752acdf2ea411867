"""An expert's past units, collaborators' units and declared conflicts choose a unit from the unit library
with a picker (searched by name, chosen by the list), never as typed text that had to match a name exactly
(a past unit typed a little differently matched no unit, so the conflict rules never saw it)."""

import pytest
from django.urls import reverse

from kechuang.accounts.models import Unit
from kechuang.accounts.tests.factories import UnitFactory
from kechuang.review.models import ExpertProfile
from kechuang.review.tests.factories import ExpertProfileFactory

pytestmark = pytest.mark.django_db


def test_the_side_forms_pick_a_unit_and_keep_what_was_sent_when_refused(client_for):
    profile = ExpertProfileFactory(status=ExpertProfile.Status.DRAFT)
    unit = UnitFactory(name="太原理工大学")
    c = client_for(profile.user)
    page = c.get(reverse("review:my-profile")).content.decode()
    for name in ("u-unit", "c-unit", "d-unit"):  # a picker (select searched through web:pick-units)
        assert f'name="{name}"' in page and 'data-picker="/pick/units/"' in page, name
    assert 'name="u-unit_name"' not in page and 'name="d-unit_name"' not in page
    # the past unit chosen from the list: stored with the unit itself, the conflict rules see it
    r = c.post(reverse("review:my-profile"), {"add_unit": "1", "u-unit": unit.pk, "u-start": "2015-09-01"})
    assert r.status_code == 302
    past = profile.past_units.get()
    assert past.unit == unit and past.unit_name == "太原理工大学"
    # the past unit's picker offers to add a unit the library does not hold (its last line), never a code
    assert 'data-picker-create="不在列表中，添加此单位（待科技厅核验）"' in page
    # refused for another reason (the end before the start): the new name kept in the picker, the dates kept
    r = c.post(
        reverse("review:my-profile"),
        {"add_unit": "1", "u-unit": "四川某研究所", "u-start": "2016-09-01", "u-end": "2010-01-01"},
    )
    body = r.content.decode()
    assert r.status_code == 400 and "结束日期不能早于开始日期" in body and 'value="2016-09-01"' in body
    assert '<option value="四川某研究所" selected>四川某研究所（新增，待核验）</option>' in body
    assert not Unit.objects.filter(name="四川某研究所").exists()
    # a bare number names no unit: refused beside the field (400), never taken as a name
    r = c.post(reverse("review:my-profile"), {"add_unit": "1", "u-unit": "99999", "u-start": "2016-09-01"})
    assert r.status_code == 400 and "请在下拉列表中选择" in r.content.decode()
    # a declared conflict with a unit picked
    r = c.post(reverse("review:my-profile"), {"declare": "1", "d-unit": unit.pk, "d-reason": "曾任职"})
    assert r.status_code == 302 and profile.declared_conflicts.get().unit == unit


def test_a_past_unit_not_in_the_library_is_added_waiting_for_staff(client_for, staff):
    """A past unit the library does not hold (a former employer elsewhere), named in full from the picker's
    last line: added as a unit waiting for staff verification (kind 其他), recorded as the past unit, staff
    told; the same name again is the same unit, not a second."""
    from kechuang.core.models import AuditEvent, Notification

    profile = ExpertProfileFactory(status=ExpertProfile.Status.DRAFT)
    c = client_for(profile.user)
    post = {
        "add_unit": "1",
        "u-unit": " 中国科学院 某某研究所 ",
        "u-start": "2001-09-01",
        "u-end": "2008-07-01",
    }
    assert c.post(reverse("review:my-profile"), post).status_code == 302
    unit = Unit.objects.get(name="中国科学院 某某研究所")
    assert unit.status == Unit.Status.PENDING and unit.kind == Unit.Kind.OTHER and unit.is_active
    past = profile.past_units.get()
    assert past.unit == unit and past.unit_name == unit.name
    assert AuditEvent.objects.filter(action="unit.propose", object_id=str(unit.pk)).exists()
    assert Notification.objects.filter(recipient=staff, title__contains="中国科学院 某某研究所").exists()
    page = c.get(reverse("review:my-profile")).content.decode()
    assert "中国科学院 某某研究所" in page
    assert c.post(reverse("review:my-profile"), post).status_code == 302
    assert Unit.objects.filter(name="中国科学院 某某研究所").count() == 1


def test_a_past_unit_awaiting_verification_is_marked_so_on_the_profile_and_to_staff(
    client_for, staff, english
):
    """The unit added from the picker's last line waits for staff: the expert's own profile, the profile staff
    read (with the way to the unit's page, where it is verified) and the pool list say 待核验 beside it, in
    either language; verified, the mark goes."""
    from kechuang.accounts.services import unit_verify

    profile = ExpertProfileFactory(status=ExpertProfile.Status.DRAFT)
    c = client_for(profile.user)
    post = {"add_unit": "1", "u-unit": "岱沄某某研究院", "u-start": "2001-09-01", "u-end": "2008-07-01"}
    assert c.post(reverse("review:my-profile"), post).status_code == 302
    unit = Unit.objects.get(name="岱沄某某研究院")
    mark = '岱沄某某研究院 <span class="badge warn">待核验</span>'
    assert mark in c.get(reverse("review:my-profile")).content.decode()
    english(c)
    assert (
        '岱沄某某研究院 <span class="badge warn">Awaiting verification</span>'
        in c.get(reverse("review:my-profile")).content.decode()
    )
    s = client_for(staff)
    page = s.get(reverse("review:expert-detail", args=[profile.pk])).content.decode()
    assert mark in page and f'href="{unit.get_absolute_url()}"' in page
    # the expert's current unit, when it too awaits verification, is marked in the pool's list
    profile.user.unit = unit
    profile.user.save(update_fields=["unit"])
    listed = s.get(reverse("review:expert-list")).content.decode()
    assert '<td>岱沄某某研究院 <span class="badge warn">待核验</span></td>' in listed
    unit_verify(actor=staff, unit=unit)
    assert "待核验" not in c.get(reverse("review:my-profile")).content.decode().replace(
        "Awaiting verification", ""
    )
    assert (
        '<span class="badge warn">待核验</span>'
        not in s.get(reverse("review:expert-detail", args=[profile.pk])).content.decode()
    )
