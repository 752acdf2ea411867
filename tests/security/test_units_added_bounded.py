"""An expert adds a past unit the library does not hold from the picker's last line (unit_propose): a unit
waiting for staff, offered in every signed-in person's unit picker, and a notice to every staff member. Nothing
bounded it: a script could add thousands of units — junk in everyone's pickers, thousands of notices to each
staff member, names squatted (§22). An expert may now have at most KECHUANG_UNITS_ADDED_WAITING_MAX units of
their adding waiting for staff; past it the form says so (400, what was typed kept) and nothing is made or sent.
Units already in the library are picked as before; staff are not bounded (docs/security.md §22)."""

import pytest
from django.urls import reverse

from kechuang.accounts import services
from kechuang.accounts.models import Unit
from kechuang.core.models import Notification
from kechuang.review.models import ExpertProfile
from kechuang.review.tests.factories import ExpertProfileFactory

pytestmark = pytest.mark.django_db


def _add(c, name):
    return c.post(reverse("review:my-profile"), {"add_unit": "1", "u-unit": name, "u-start": "2015-01-01"})


def test_an_expert_adds_at_most_so_many_units_waiting_for_staff(client_for, staff, settings):
    settings.KECHUANG_UNITS_ADDED_WAITING_MAX = 3
    profile = ExpertProfileFactory(status=ExpertProfile.Status.DRAFT)
    c = client_for(profile.user)
    for n in range(3):
        assert _add(c, f"外省某研究所{n}").status_code == 302
    notices = Notification.objects.filter(recipient=staff).count()
    r = _add(c, "外省某研究所3")
    body = r.content.decode()
    assert r.status_code == 400 and "3 个在等待科技厅核验" in body and "外省某研究所3" in body
    assert not Unit.objects.filter(name="外省某研究所3").exists()
    assert Notification.objects.filter(recipient=staff).count() == notices
    assert profile.past_units.count() == 3
    # a unit the library holds is picked as before, and one that staff verified frees its place
    assert _add(c, "外省某研究所0").status_code == 302
    services.unit_verify(actor=staff, unit=Unit.objects.get(name="外省某研究所1"))
    assert _add(c, "外省某研究所3").status_code == 302
    # another expert has places of their own
    other = ExpertProfileFactory(status=ExpertProfile.Status.DRAFT)
    assert _add(client_for(other.user), "外省某研究所9").status_code == 302


def test_staff_adding_for_an_expert_are_not_bounded(staff, settings):
    settings.KECHUANG_UNITS_ADDED_WAITING_MAX = 1
    for n in range(3):
        services.unit_propose(actor=staff, name=f"外省某大学{n}")
    assert Unit.objects.filter(name__startswith="外省某大学").count() == 3
