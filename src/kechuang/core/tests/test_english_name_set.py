"""The one write behind every app's English-name service (core.services.english_name_set: challenges, campaigns,
calls, programme types and forms each had a copy) and the one view step behind their forms
(core.attempts.english_name_saved / english_name_post), with its message in the singular or plural (usable10)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from kechuang.core.attempts import names_saved
from kechuang.core.models import AuditEvent
from kechuang.core.services import english_name_set
from kechuang.evaluation.models import Campaign
from kechuang.evaluation.tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def test_stripped_saved_and_audited_once_only_when_it_changes(staff):
    c = CampaignFactory(name="省实验室评估")
    saved = english_name_set(actor=staff, obj=c, text="  Lab evaluation ", action="campaign.name_translate")
    assert saved.name_en == "Lab evaluation" == Campaign.objects.get(pk=c.pk).name_en
    english_name_set(actor=staff, obj=c, text="Lab evaluation", action="campaign.name_translate")
    events = AuditEvent.objects.filter(action="campaign.name_translate").order_by("id")
    assert [(e.before, e.after) for e in events] == [({"name_en": ""}, {"name_en": "Lab evaluation"})]
    english_name_set(actor=staff, obj=c, text="", action="campaign.name_translate")  # cleared
    assert Campaign.objects.get(pk=c.pk).name_en == "" and events.all().count() == 2


def test_too_long_is_refused_by_its_field_and_nothing_is_written(staff):
    c = CampaignFactory(name="省实验室评估", name_en="Lab evaluation")
    with pytest.raises(ValidationError) as refused:
        english_name_set(actor=staff, obj=c, text="x" * 301, action="campaign.name_translate")
    assert list(refused.value.error_dict) == ["name_en"]
    assert Campaign.objects.get(pk=c.pk).name_en == "Lab evaluation"
    assert not AuditEvent.objects.filter(action="campaign.name_translate").exists()


def test_the_message_says_one_name_or_several():
    with translation.override("en"):
        assert (names_saved(1), names_saved(3)) == ("English name saved.", "English names saved.")
    with translation.override("zh-hans"):
        assert names_saved(1) == names_saved(3) == "已保存英文名称。"


def test_one_name_saved_is_said_in_the_singular(staff, english_client_for):
    c = CampaignFactory(name="省实验室评估")
    client = english_client_for(staff)
    r = client.post(reverse("evaluation:name-en", args=[c.pk]), {"name_en": "Lab evaluation"}, follow=True)
    page = r.content.decode()
    assert "English name saved." in page and "English names saved." not in page
