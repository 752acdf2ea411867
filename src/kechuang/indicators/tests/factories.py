from decimal import Decimal

import factory

from kechuang.indicators.models import Framework, FrameworkVersion, Indicator, Region, Target, Value


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:03d}")
    name_zh = factory.Sequence(lambda n: f"测试指标{n:03d}")
    unit = "%"
    published = False

    class Params:
        public = factory.Trait(published=True)
        lower_is_better = factory.Trait(direction="lower")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"R{n:04d}")
    name = factory.Sequence(lambda n: f"测试省{n:04d}")
    level = Region.Level.PROVINCE
    region_set = "cn"


class ValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Value

    indicator = factory.SubFactory(IndicatorFactory)
    region = factory.SubFactory(RegionFactory)
    year = 2022
    value = Decimal("1.5")
    source = Value.Source.TYPED

    class Params:
        imported = factory.Trait(source=Value.Source.IMPORTED)
        from_report = factory.Trait(source=Value.Source.REPORT, provenance={"document": 1, "quote": "……"})


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    region = factory.SubFactory(RegionFactory)
    year = 2025
    comparator = ">="
    value = Decimal("65")

    class Params:
        at_most = factory.Trait(comparator="<=")


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"fw{n}")
    edition = "2024"
    name = "测试框架"
    spec = factory.LazyAttribute(
        lambda o: {
            "code": o.code,
            "edition": o.edition,
            "name": "测试框架",
            "method": {
                "normalise": {"method": "ratio", "cap": 100},
                "aggregate": {"method": "arithmetic", "over": "tree"},
                "rounding": {"index": 2, "nodes": 2},
            },
            "nodes": [
                {
                    "code": "A",
                    "name": "甲",
                    "weight": 0.6,
                    "children": [
                        {"code": "A.x", "name": "x", "weight": 0.5, "standard": 10},
                        {"code": "A.y", "name": "y", "weight": 0.5, "standard": 4},
                    ],
                },
                {
                    "code": "B",
                    "name": "乙",
                    "weight": 0.4,
                    "children": [
                        {"code": "B.z", "name": "z", "weight": 1, "standard": 2, "direction": "lower"}
                    ],
                },
            ],
        }
    )

    @factory.post_generation
    def first_version(obj, create, extracted, **kwargs):
        """A framework is saved with its version, as the services save it."""
        if create:
            FrameworkVersion.objects.create(framework=obj, number=obj.version, spec=obj.spec, note="安装")
