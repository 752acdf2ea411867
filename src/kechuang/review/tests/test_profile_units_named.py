"""An expert's employment history names a unit on record in the reader's language (people38: the English
profile read 山西大学 under "Employment history" beside "Unit: Shanxi University"); a unit typed by name only
stays as typed."""

import datetime

import pytest

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.review.models import ExpertUnit

from .factories import ExpertProfileFactory

pytestmark = pytest.mark.django_db


def test_a_past_unit_on_record_reads_in_english(english_client_for):
    profile = ExpertProfileFactory()
    unit = UnitFactory(name="山西大学甲", name_en="Shanxi University A")
    ExpertUnit.objects.create(
        profile=profile, unit=unit, unit_name="山西大学甲", start=datetime.date(2016, 9, 1)
    )
    ExpertUnit.objects.create(profile=profile, unit_name="某研究所", start=datetime.date(2012, 1, 1))
    page = english_client_for(profile.user).get("/review/profile/").content.decode()
    history = page.split("Employment history", 1)[1].split("</table>", 1)[0]
    assert "Shanxi University A" in history and "山西大学甲" not in history and "某研究所" in history
