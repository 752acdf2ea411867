import factory

from kechuang.accounts.tests.factories import UnitFactory, UserFactory
from kechuang.core.roles import Role
from kechuang.review.models import Criterion, ExpertProfile, ExternalSubject, ReviewForm


class ExpertProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertProfile

    user = factory.SubFactory(UserFactory, roles=[Role.EXPERT])
    title = "教授"
    disciplines = factory.LazyFunction(lambda: ["430.25"])
    keywords = factory.LazyFunction(lambda: ["碳化硅", "半导体"])
    city = "太原"
    status = ExpertProfile.Status.APPROVED
    yearly_cap = 30

    class Params:
        draft = factory.Trait(status=ExpertProfile.Status.DRAFT)
        submitted = factory.Trait(status=ExpertProfile.Status.SUBMITTED)
        unavailable = factory.Trait(available=False)


class ExternalSubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExternalSubject

    title = factory.Sequence(lambda n: f"碳化硅单晶衬底生长工艺研究{n}")
    text = "面向功率半导体器件的碳化硅单晶衬底与外延生长工艺。"
    keywords = factory.LazyFunction(lambda: ["碳化硅", "单晶"])
    disciplines = factory.LazyFunction(lambda: ["430.25"])
    unit = factory.SubFactory(UnitFactory)
    leader_name = factory.Sequence(lambda n: f"申报人{n}")
    city = "太原"


class ReviewFormFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewForm
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"评分表{n}")
    scale = 100

    @factory.post_generation
    def criteria(self, create, extracted, **kwargs):
        if not create:
            return
        for i, (code, name, weight, mx) in enumerate(
            extracted or [("tech", "技术先进性", "0.6", 100), ("team", "团队能力", "0.4", 50)]
        ):
            Criterion.objects.create(
                form=self, code=code, name=name, weight=weight, max_score=mx, order=i, anchors="90+ 优秀"
            )
