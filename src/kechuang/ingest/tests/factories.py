import hashlib

import factory

from kechuang.ingest.models import Document, Fact


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    title = factory.Sequence(lambda n: f"测试报告{n}")
    filename = factory.Sequence(lambda n: f"report-{n}.txt")
    original = factory.LazyAttribute(lambda o: o.original_text.encode("utf-8"))
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(bytes(o.original)).hexdigest())
    size = factory.LazyAttribute(lambda o: len(o.original))
    encoding = "utf-8"
    original_text = factory.Sequence(lambda n: f"第{n}份：建成12个国家重点实验室。")
    repaired_text = factory.LazyAttribute(lambda o: o.original_text)

    class Params:
        reviewed = factory.Trait(status=Document.Status.REVIEWED)


class FactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fact

    document = factory.SubFactory(DocumentFactory)
    kind = Fact.Kind.COUNT
    subject = "国家重点实验室"
    predicate = "建成"
    value = 12
    value_text = "12"
    unit = "个"
    quote = "建成12个国家重点实验室。"
    start = factory.Sequence(lambda n: n * 10)
    end = factory.LazyAttribute(lambda o: o.start + 3)

    class Params:
        accepted = factory.Trait(status=Fact.Status.ACCEPTED)
        rejected = factory.Trait(status=Fact.Status.REJECTED)
        money = factory.Trait(
            kind=Fact.Kind.MONEY, subject="销售收入", value=2_500_000_000, value_text="2500000000", unit="元"
        )
