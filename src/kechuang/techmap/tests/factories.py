import datetime

import factory
from django.contrib.contenttypes.models import ContentType

from kechuang.techmap.models import Chain, ChainLink, Coverage, Technology, TrlRecord


class ChainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chain

    name = factory.Sequence(lambda n: f"产业链{n:03d}")
    published = True
    internal_note = "内部：仅供厅内参考"

    class Params:
        draft = factory.Trait(published=False)


class LinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChainLink

    chain = factory.SubFactory(ChainFactory)
    stage = ChainLink.Stage.UPSTREAM
    name = factory.Sequence(lambda n: f"环节{n:03d}")

    class Params:
        midstream = factory.Trait(stage=ChainLink.Stage.MIDSTREAM)
        downstream = factory.Trait(stage=ChainLink.Stage.DOWNSTREAM)


class TechnologyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Technology

    link = factory.SubFactory(LinkFactory)
    name = factory.Sequence(lambda n: f"关键技术{n:03d}")
    internal_note = "内部备注：技术路线存疑"
    trl_baseline = 4
    trl_baseline_on = datetime.date(2021, 1, 1)
    trl_current = 5
    trl_current_on = datetime.date(2024, 1, 1)
    trl_target = 8
    trl_target_on = datetime.date(2025, 12, 31)

    class Params:
        bottleneck = factory.Trait(is_bottleneck=True, substitution=Technology.Substitution.NEEDED)
        leading = factory.Trait(level=Technology.Level.INTERNATIONAL_LEADING)


class TrlRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrlRecord

    technology = factory.SubFactory(TechnologyFactory)
    kind = TrlRecord.Kind.CURRENT
    value = 5
    as_of = datetime.date(2024, 1, 1)


class CoverageFactory(factory.django.DjangoModelFactory):
    """Coverage of a technology by any object (`target=`); defaults to an open-ended project link."""

    class Meta:
        model = Coverage
        exclude = ["target"]

    technology = factory.SubFactory(TechnologyFactory)
    kind = Coverage.Kind.PROJECT
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(type(o.target)))
    object_id = factory.LazyAttribute(lambda o: o.target.pk)
    target_repr = factory.LazyAttribute(lambda o: str(o.target))
    since = datetime.date(2022, 1, 1)
    until = None

    class Params:
        ended = factory.Trait(until=datetime.date(2023, 12, 31))
        topic = factory.Trait(kind=Coverage.Kind.TOPIC)
        platform = factory.Trait(kind=Coverage.Kind.PLATFORM)
