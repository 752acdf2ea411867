"""An expert's past units, collaborators' units and declared conflicts choose a unit from the unit library
with a picker (searched by name, chosen by the list), never as typed text that had to match a name exactly
(a past unit typed a little differently matched no unit, so the conflict rules never saw it)."""

import pytest
from django.urls import reverse

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
    # a unit not in the library: refused beside the field (400), the dates kept
    r = c.post(reverse("review:my-profile"), {"add_unit": "1", "u-unit": "太原理工", "u-start": "2016-09-01"})
    body = r.content.decode()
    assert r.status_code == 400 and "请在下拉列表中选择" in body and 'value="2016-09-01"' in body
    # a declared conflict with a unit picked
    r = c.post(reverse("review:my-profile"), {"declare": "1", "d-unit": unit.pk, "d-reason": "曾任职"})
    assert r.status_code == 302 and profile.declared_conflicts.get().unit == unit
