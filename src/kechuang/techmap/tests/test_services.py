import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from kechuang.core.exceptions import ApplicationError, Conflict, PermissionDenied
from kechuang.core.models import AuditEvent
from kechuang.techmap import services
from kechuang.techmap.models import Chain, Coverage, Technology, TrlRecord

from .factories import ChainFactory, CoverageFactory, LinkFactory, TechnologyFactory

# Tests that reach the database through factories or role fixtures fetched on the fly (the `nodb` mark of
# src/kechuang/conftest.py reads fixtures, not function bodies).
pytestmark = pytest.mark.django_db


def events(obj, action=None):
    qs = AuditEvent.objects.for_object(obj)
    return qs.filter(action=action) if action else qs


def test_chain_link_technology_create_are_audited(staff):
    chain = services.chain_create(actor=staff, name="新能源", published=True)
    link = services.link_create(actor=staff, chain=chain, stage="upstream", name="电池材料")
    tech = services.technology_create(
        actor=staff,
        link=link,
        name="正极材料",
        is_bottleneck=True,
        trl={"baseline": (5, datetime.date(2021, 1, 1)), "target": (8, datetime.date(2025, 12, 31))},
    )
    assert events(chain, "chain.create").count() == 1
    assert events(link, "link.create").count() == 1
    assert events(tech, "technology.create").count() == 1
    assert events(tech, "technology.trl_record").count() == 2
    assert (tech.trl_baseline, tech.trl_baseline_on) == (5, datetime.date(2021, 1, 1))
    assert (tech.trl_target, tech.trl_current) == (8, None)


@pytest.mark.parametrize("role", ["commissioner", "expert", "applicant", "operator"])
def test_non_staff_cannot_write(request, role):
    user = request.getfixturevalue(role)
    tech = TechnologyFactory()
    with pytest.raises(PermissionDenied):
        services.chain_create(actor=user, name="新材料")
    with pytest.raises(PermissionDenied):
        services.technology_update(actor=user, technology=tech, is_bottleneck=True)
    with pytest.raises(PermissionDenied):
        services.trl_record(actor=user, technology=tech, kind="current", value=7)
    assert not Chain.objects.filter(name="新材料").exists()
    tech.refresh_from_db()
    assert not tech.is_bottleneck


def test_trl_history_keeps_every_dated_value_and_shows_the_latest(staff):
    tech = TechnologyFactory(trl_current=None, trl_current_on=None)
    services.trl_record(
        actor=staff, technology=tech, kind="current", value=5, as_of=datetime.date(2023, 6, 30)
    )
    services.trl_record(
        actor=staff, technology=tech, kind="current", value=6, as_of=datetime.date(2024, 12, 31)
    )
    # A back-dated record joins the history but does not replace the newer value.
    services.trl_record(
        actor=staff, technology=tech, kind="current", value=4, as_of=datetime.date(2022, 1, 1)
    )
    tech.refresh_from_db()
    assert (tech.trl_current, tech.trl_current_on) == (6, datetime.date(2024, 12, 31))
    history = list(tech.trl_records.filter(kind="current").order_by("as_of").values_list("value", flat=True))
    assert history == [4, 5, 6]
    assert events(tech, "technology.trl_record").count() == 3


@pytest.mark.parametrize("value", [0, 10])
def test_trl_out_of_range_is_refused(staff, value):
    tech = TechnologyFactory()
    with pytest.raises(ValidationError):
        services.trl_record(actor=staff, technology=tech, kind="current", value=value)
    assert TrlRecord.objects.count() == 0


def test_technology_update_optimistic_lock(staff):
    tech = TechnologyFactory()
    services.technology_update(actor=staff, technology=tech, expected_version=1, is_bottleneck=True)
    stale = Technology.objects.get(pk=tech.pk)
    with pytest.raises(Conflict):
        services.technology_update(actor=staff, technology=stale, expected_version=1, level="following")
    tech.refresh_from_db()
    assert tech.level == "" and tech.is_bottleneck and tech.version == 2
    ev = events(tech, "technology.update").get()
    assert ev.before == {"is_bottleneck": False} and ev.after == {"is_bottleneck": True}


def test_chain_publish_is_audited_as_publish(staff):
    chain = ChainFactory(draft=True)
    services.chain_update(actor=staff, chain=chain, published=True)
    assert events(chain, "chain.publish").count() == 1


def test_coverage_create_and_end(staff, coverable):
    tech = TechnologyFactory(bottleneck=True)
    unit = coverable("国家重点实验室")
    c = services.coverage_create(
        actor=staff, technology=tech, kind="platform", target=unit, since=datetime.date(2022, 1, 1)
    )
    assert c.target_repr == "国家重点实验室"
    assert events(c, "coverage.create").count() == 1
    services.coverage_end(actor=staff, coverage=c, until=datetime.date(2024, 1, 1), reason="平台重组")
    c.refresh_from_db()
    assert c.until == datetime.date(2024, 1, 1)
    assert events(c, "coverage.end").get().reason == "平台重组"


def test_coverage_refusals(staff, coverable):
    tech = TechnologyFactory()
    unit = coverable()
    # A model without coverage_active() is not a coverage target.
    ct_chain = ContentType.objects.get_for_model(Chain)
    with pytest.raises(ApplicationError) as exc:
        services.coverage_create(
            actor=staff, technology=tech, kind="platform", content_type=ct_chain, object_id=tech.link.chain_id
        )
    assert exc.value.message == services.NOT_COVERABLE
    ct_unit = ContentType.objects.get_for_model(type(unit))
    with pytest.raises(ApplicationError) as exc:
        services.coverage_create(
            actor=staff, technology=tech, kind="platform", content_type=ct_unit, object_id=999999
        )
    assert exc.value.message == services.TARGET_MISSING
    services.coverage_create(
        actor=staff, technology=tech, kind="platform", target=unit, since=datetime.date(2022, 1, 1)
    )
    with pytest.raises(ApplicationError) as exc:
        services.coverage_create(
            actor=staff, technology=tech, kind="platform", target=unit, since=datetime.date(2022, 1, 1)
        )
    assert exc.value.message == services.DUPLICATE_COVERAGE
    with pytest.raises(ValidationError):
        services.coverage_create(
            actor=staff,
            technology=tech,
            kind="platform",
            target=unit,
            since=datetime.date(2023, 1, 1),
            until=datetime.date(2022, 1, 1),
        )
    assert Coverage.objects.count() == 1


def test_known_target_models_accept_only_their_kinds(staff):
    from kechuang.challenges.models import Topic

    topic = Topic.objects.create(title="碳化硅衬底")
    tech = TechnologyFactory()
    with pytest.raises(ApplicationError) as exc:
        services.coverage_create(actor=staff, technology=tech, kind="platform", target=topic)
    assert exc.value.message == services.KIND_MISMATCH
    c = services.coverage_create(actor=staff, technology=tech, kind="topic", target=topic)
    assert c.kind == "topic"


def test_gap_topic_create_uses_challenges_topic_create(staff, time_machine):
    time_machine.move_to(datetime.datetime(2025, 3, 1, 12, tzinfo=datetime.UTC))
    from kechuang.challenges.models import Topic

    tech = TechnologyFactory(bottleneck=True, name="五轴联动数控机床", trl_current=6, trl_target=8)
    coverage = services.gap_topic_create(actor=staff, technology=tech)
    topic = Topic.objects.get(pk=coverage.object_id)
    assert topic.title == "五轴联动数控机床 关键技术攻关"
    assert (topic.trl_baseline, topic.trl_target, topic.track) == (6, 8, "pilot")
    assert (
        topic.industry_label == tech.link.chain.name
    )  # an entry of the industry list by its name, or as named
    assert coverage.kind == "topic" and coverage.since == datetime.date(2025, 3, 1)
    assert events(tech, "technology.gap_topic_create").count() == 1
    assert AuditEvent.objects.filter(action="topic.create").count() == 1
    # A second click does not create a second topic.
    with pytest.raises(ApplicationError) as exc:
        services.gap_topic_create(actor=staff, technology=tech)
    assert exc.value.message == services.ALREADY_TOPIC
    assert Topic.objects.count() == 1


def test_gap_topic_refused_for_non_bottleneck_and_non_staff(staff, commissioner):
    from kechuang.challenges.models import Topic

    plain = TechnologyFactory()
    with pytest.raises(ApplicationError) as exc:
        services.gap_topic_create(actor=staff, technology=plain)
    assert exc.value.message == services.NOT_BOTTLENECK
    with pytest.raises(PermissionDenied):
        services.gap_topic_create(actor=commissioner, technology=TechnologyFactory(bottleneck=True))
    assert Topic.objects.count() == 0 and Coverage.objects.count() == 0


def test_gap_topic_is_one_transaction(staff, monkeypatch):
    """If linking the topic fails, the topic is not left behind."""
    from kechuang.challenges.models import Topic

    def boom(**kwargs):
        raise ApplicationError("链接失败")

    monkeypatch.setattr(services, "coverage_create", boom)
    tech = TechnologyFactory(bottleneck=True)
    with pytest.raises(ApplicationError):
        services.gap_topic_create(actor=staff, technology=tech)
    assert Topic.objects.count() == 0


def test_link_update_and_factory_traits(staff):
    link = LinkFactory(midstream=True)
    services.link_update(actor=staff, link=link, name="新名称", stage="downstream")
    link.refresh_from_db()
    assert (link.name, link.stage) == ("新名称", "downstream")
    assert events(link, "link.update").count() == 1
    assert CoverageFactory._meta.model is Coverage
