"""Factories for platforms and their links. Lifecycle states are Traits."""

import datetime

import factory

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.platforms.models import Kind, Level, Membership, Platform, StatusPeriod, YearlyReport


class PlatformFactory(factory.django.DjangoModelFactory):
    """A platform with its opening status period (as platform_create makes it)."""

    class Meta:
        model = Platform
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"T-{n:04d}")
    name = factory.Sequence(lambda n: f"测试平台{n}")
    kind = Kind.PROVINCIAL_KEY_LAB
    level = Level.PROVINCIAL
    host = factory.SubFactory(UnitFactory)
    province = "140000"  # 山西省 (GB/T 2260)
    city = "太原市"  # as stored: the division's Chinese name (accounts 0012)
    established = datetime.date(2020, 1, 1)
    status = "operating"
    published = True

    class Params:
        building = factory.Trait(status="building")
        trial = factory.Trait(status="trial")
        unpublished = factory.Trait(published=False)
        consortium = factory.Trait(kind=Kind.CONSORTIUM)

    @factory.post_generation
    def period(obj, create, extracted, **kwargs):
        if create:
            StatusPeriod.objects.create(platform=obj, status=obj.status, start=obj.established)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    platform = factory.SubFactory(PlatformFactory, consortium=True)
    unit = factory.SubFactory(UnitFactory)
    role = Membership.Role.MEMBER
    joined = datetime.date(2020, 6, 1)


class YearlyReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YearlyReport

    platform = factory.SubFactory(PlatformFactory)
    year = 2022
    staff = 40
    doctorates = 10
    funding = 1000
    projects = 5
    papers = 10
    patents = 3
    transferred = 1
    shared_hours = 500

    class Params:
        submitted = factory.Trait(status=YearlyReport.Status.SUBMITTED)
        accepted = factory.Trait(status=YearlyReport.Status.ACCEPTED)
        returned = factory.Trait(status=YearlyReport.Status.RETURNED, return_reason="数据不全")
