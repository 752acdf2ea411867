"""Factories for evaluation campaigns. Lifecycle states are Traits."""

import factory

from kechuang.evaluation.models import Campaign, Entry
from kechuang.platforms.tests.factories import PlatformFactory


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"评估{n}")
    year = 2022
    grade_params = factory.LazyFunction(lambda: {"excellent": 85, "good": 75, "pass": 60})

    class Params:
        collecting = factory.Trait(status=Campaign.Status.COLLECTING)
        computed = factory.Trait(status=Campaign.Status.COMPUTED)
        published = factory.Trait(status=Campaign.Status.PUBLISHED)


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry

    campaign = factory.SubFactory(CampaignFactory)
    platform = factory.SubFactory(PlatformFactory)
