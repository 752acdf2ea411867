"""Factories for the open-challenge records; lifecycle states are Traits (e.g. ChallengeFactory(published=True))."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from kechuang.accounts.tests.factories import UnitFactory, UserFactory
from kechuang.challenges import programme
from kechuang.challenges.models import (
    Application,
    ApplicationMilestone,
    Challenge,
    ChallengeIndicator,
    Contract,
    ContractIndicator,
    Milestone,
    MilestoneValue,
    Need,
    Topic,
)
from kechuang.core.roles import Role

CRITERIA = [
    {"code": "tech", "name": "技术先进性", "weight": 0.4},
    {"code": "team", "name": "团队能力", "weight": 0.3},
    {"code": "plan", "name": "实施方案", "weight": 0.3},
]


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    title = factory.Sequence(lambda n: f"技术需求{n:03d}")
    problem = "碳化硅单晶衬底缺陷密度高，良率低。"
    industry = "new_materials"
    unit = factory.SubFactory(UnitFactory)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    title = factory.Sequence(lambda n: f"课题{n:03d}")
    track = Topic.Track.INDUSTRIALISATION
    trl_baseline = 4
    trl_target = 7


class ChallengeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Challenge
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"JB-2026-{n:03d}")
    year = 2026
    topic = factory.SubFactory(TopicFactory)
    title = factory.Sequence(lambda n: f"榜单{n:03d}")
    problem = "攻克大尺寸碳化硅单晶生长关键工艺。"
    budget_ceiling = Decimal("1000")
    duration_months = 24
    max_active_per_leader = 2
    deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    criteria = factory.LazyFunction(lambda: [dict(c) for c in CRITERIA])
    programme_version = factory.LazyFunction(lambda: programme.seed())

    class Params:
        published = factory.Trait(status=Challenge.Status.PUBLISHED)
        closed = factory.Trait(
            status=Challenge.Status.CLOSED,
            deadline=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1)),
        )
        racing = factory.Trait(max_winners=2)

    @factory.post_generation
    def with_indicators(self, create, extracted, **kwargs):
        if create and extracted is not False:
            ChallengeIndicator.objects.create(
                challenge=self, seq=1, name="晶圆直径", unit="英寸", baseline=4, target=8
            )
            ChallengeIndicator.objects.create(
                challenge=self,
                seq=2,
                name="微管密度",
                unit="个/cm²",
                baseline=5,
                target=1,
                higher_is_better=False,
            )


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application
        skip_postgeneration_save = True

    challenge = factory.SubFactory(ChallengeFactory, published=True)
    unit = factory.SubFactory(UnitFactory)
    leader = factory.SubFactory(UserFactory, unit=factory.SelfAttribute("..unit"), roles=[Role.APPLICANT])
    created_by = factory.SelfAttribute("leader")
    title = factory.Sequence(lambda n: f"揭榜项目{n:03d}")
    plan = "采用物理气相传输法，优化温场设计。"
    budget_requested = Decimal("600")
    form_version = factory.LazyAttribute(
        lambda o: programme.stage_form(o.challenge.programme_version, "application")
    )

    class Params:
        submitted = factory.Trait(status=Application.Status.SUBMITTED)
        under_review = factory.Trait(status=Application.Status.UNDER_REVIEW)
        proposed = factory.Trait(status=Application.Status.PROPOSED)

    @factory.post_generation
    def with_milestones(self, create, extracted, **kwargs):
        if create and extracted is not False:
            ApplicationMilestone.objects.create(
                application=self,
                seq=1,
                title="中试线建成",
                month=12,
                tranche=Decimal("300"),
                targets={"晶圆直径": "6"},
            )
            ApplicationMilestone.objects.create(
                application=self,
                seq=2,
                title="8英寸量产",
                month=24,
                tranche=Decimal("300"),
                targets={"晶圆直径": "8", "微管密度": "1"},
            )


class ContractFactory(factory.django.DjangoModelFactory):
    """A contract with two indicators and two milestones (values attached)."""

    class Meta:
        model = Contract
        skip_postgeneration_save = True

    application = factory.SubFactory(
        ApplicationFactory, status=Application.Status.AWARDED, with_milestones=False
    )
    challenge = factory.SelfAttribute("application.challenge")
    unit = factory.SelfAttribute("application.unit")
    leader = factory.SelfAttribute("application.leader")
    code = factory.Sequence(lambda n: f"RW-{n:04d}")
    title = factory.SelfAttribute("application.title")
    start_date = datetime.date(2026, 1, 1)
    end_date = datetime.date(2027, 12, 31)
    budget = Decimal("600")
    commissioner = factory.SubFactory(UserFactory, roles=[Role.COMMISSIONER])

    class Params:
        running = factory.Trait(status=Contract.Status.IN_PROGRESS)

    @factory.post_generation
    def with_milestones(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        d = ContractIndicator.objects.create(
            contract=self, seq=1, name="晶圆直径", unit="英寸", baseline=4, target=8
        )
        m = ContractIndicator.objects.create(
            contract=self, seq=2, name="微管密度", unit="个/cm²", baseline=5, target=1, higher_is_better=False
        )
        m1 = Milestone.objects.create(
            contract=self, seq=1, title="中试线", due_date=datetime.date(2026, 12, 31), tranche=300
        )
        m2 = Milestone.objects.create(
            contract=self, seq=2, title="量产", due_date=datetime.date(2027, 12, 31), tranche=300
        )
        MilestoneValue.objects.create(milestone=m1, indicator=d, target=6)
        MilestoneValue.objects.create(milestone=m2, indicator=d, target=8)
        MilestoneValue.objects.create(milestone=m2, indicator=m, target=1)
