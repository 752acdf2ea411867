"""Registry services and the exact "as of a date" selectors."""

import datetime

import pytest

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.exceptions import ApplicationError, Conflict, InvalidTransition, PermissionDenied
from kechuang.core.models import AuditEvent
from kechuang.core.roles import SYSTEM
from kechuang.platforms import selectors, services
from kechuang.platforms.models import Achievement, Kind, Status, StatusPeriod
from kechuang.platforms.tests.factories import PlatformFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def audited(obj, action) -> bool:
    return AuditEvent.objects.for_object(obj).filter(action=action).exists()


START = D(2020, 1, 1)


def make(staff, code, kind=Kind.PROVINCIAL_KEY_LAB, established=START, **kw):
    kw.setdefault("host", UnitFactory())
    return services.platform_create(
        actor=staff, code=code, name=f"平台{code}", kind=kind, established=established, **kw
    )


def test_counts_as_of_are_exact_across_status_changes(staff):
    a = make(staff, "A", established=D(2020, 1, 1))
    b = make(staff, "B", kind=Kind.PROVINCIAL_LAB, established=D(2021, 3, 1), status=Status.BUILDING)
    c = make(staff, "C", kind=Kind.NATIONAL_KEY_LAB, established=D(2019, 6, 1))
    services.platform_transition(actor=staff, platform=b, action="operate", on=D(2022, 1, 1))
    services.platform_transition(
        actor=staff, platform=a, action="retire", on=D(2022, 7, 1), reason="考核不合格"
    )

    def kinds(day):
        return selectors.platform_counts_as_of(date=day, by="kind")

    assert kinds(D(2019, 5, 31)) == {}
    assert kinds(D(2019, 6, 1)) == {Kind.NATIONAL_KEY_LAB: 1}
    assert kinds(D(2021, 3, 1)) == {
        Kind.NATIONAL_KEY_LAB: 1,
        Kind.PROVINCIAL_KEY_LAB: 1,
        Kind.PROVINCIAL_LAB: 1,
    }
    # Retired on 1 July 2022: still counted the day before, not on the day.
    assert kinds(D(2022, 6, 30))[Kind.PROVINCIAL_KEY_LAB] == 1
    assert Kind.PROVINCIAL_KEY_LAB not in kinds(D(2022, 7, 1))
    assert selectors.platform_counts_as_of(date=D(2021, 12, 31), by="status") == {
        "operating": 2,
        "building": 1,
    }
    assert selectors.platform_counts_as_of(date=D(2022, 7, 1), by="status") == {"operating": 2, "retired": 1}
    assert selectors.platform_counts_as_of(date=D(2022, 7, 1), by="level") == {"national": 1, "provincial": 1}
    assert selectors.status_on(platform=b, date=D(2021, 12, 31)) == "building"
    assert selectors.status_on(platform=b, date=D(2022, 1, 1)) == "operating"
    assert list(StatusPeriod.objects.filter(platform=a).values_list("status", "start", "end")) == [
        ("operating", D(2020, 1, 1), D(2022, 7, 1)),
        ("retired", D(2022, 7, 1), None),
    ]
    assert audited(a, "platform.retire") and audited(b, "platform.operate") and audited(c, "platform.create")
    with pytest.raises(ValueError):
        selectors.platform_counts_as_of(date=D(2022, 1, 1), by="colour")


def test_members_as_of_follow_joins_and_leaves(staff):
    cons = make(staff, "CON", kind=Kind.CONSORTIUM, established=D(2021, 1, 1))
    lead, u1, u2 = UnitFactory(), UnitFactory(), UnitFactory()
    services.membership_add(actor=staff, platform=cons, unit=lead, joined=D(2021, 1, 1), role="lead")
    services.membership_add(actor=staff, platform=cons, unit=u1, joined=D(2021, 1, 1))
    m2 = services.membership_add(actor=staff, platform=cons, unit=u2, joined=D(2021, 6, 1))
    services.membership_end(actor=staff, membership=m2, left=D(2022, 1, 1), reason="退出")

    def n(day):
        return selectors.members_as_of(platform=cons, date=day).count()

    assert [n(D(2020, 12, 31)), n(D(2021, 1, 1)), n(D(2021, 6, 1)), n(D(2021, 12, 31)), n(D(2022, 1, 1))] == [
        0,
        2,
        3,
        3,
        2,
    ]
    assert selectors.member_units_as_of(date=D(2021, 7, 1)) == 3
    # A unit that left may join again; a unit already in may not.
    services.membership_add(actor=staff, platform=cons, unit=u2, joined=D(2023, 1, 1))
    assert n(D(2023, 1, 1)) == 3
    with pytest.raises(ApplicationError, match="已是该平台的成员单位"):
        services.membership_add(actor=staff, platform=cons, unit=u1, joined=D(2023, 2, 1))
    with pytest.raises(ApplicationError, match="牵头单位"):
        services.membership_add(
            actor=staff, platform=cons, unit=UnitFactory(), joined=D(2023, 2, 1), role="lead"
        )
    with pytest.raises(ApplicationError, match="只有产业技术联盟"):
        services.membership_add(actor=staff, platform=make(staff, "LAB"), unit=u1, joined=D(2023, 1, 1))
    assert AuditEvent.objects.for_object(cons).filter(action="membership.add").count() == 4


def test_status_change_date_cannot_precede_current_period(staff):
    p = make(staff, "P", established=D(2021, 1, 1), status=Status.BUILDING)
    with pytest.raises(ApplicationError, match="不能早于"):
        services.platform_transition(actor=staff, platform=p, action="operate", on=D(2020, 12, 31))
    with pytest.raises(InvalidTransition, match="理由"):
        services.platform_transition(actor=staff, platform=p, action="retire", on=D(2021, 2, 1))
    p.refresh_from_db()
    assert p.status == "building" and p.periods.count() == 1


def test_lineage_after_merge(staff):
    host = UnitFactory()
    a = make(staff, "A", host=host, established=D(2015, 1, 1))
    b = make(staff, "B", host=host, established=D(2016, 1, 1))
    c = make(staff, "C", host=host, established=D(2021, 9, 30))
    with pytest.raises(ApplicationError, match="数量不符"):
        services.reorganisation_create(
            actor=staff, kind="merge", date=D(2021, 9, 30), sources=[a], targets=[c]
        )
    reorg = services.reorganisation_create(
        actor=staff, kind="merge", date=D(2021, 9, 30), sources=[a, b], targets=[c], note="整合", batch="T"
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == ("merged", "merged")
    assert selectors.ancestors(platform=c) == {a.pk, b.pk}
    graph = selectors.lineage(platform=a)
    assert set(graph["nodes"]) == {a.pk, b.pk, c.pk}
    assert sorted((e["source"], e["target"], e["kind"]) for e in graph["edges"]) == [
        (a.pk, c.pk, "merge"),
        (b.pk, c.pk, "merge"),
    ]
    assert selectors.platform_counts_as_of(date=D(2021, 9, 29), by="kind") == {Kind.PROVINCIAL_KEY_LAB: 2}
    assert selectors.platform_counts_as_of(date=D(2021, 9, 30), by="kind") == {Kind.PROVINCIAL_KEY_LAB: 1}
    assert audited(reorg, "reorganisation.create") and audited(a, "platform.merge")
    # A merged platform cannot be merged again.
    d = make(staff, "D", host=host, established=D(2021, 9, 30))
    with pytest.raises(InvalidTransition):
        services.reorganisation_create(
            actor=staff, kind="merge", date=D(2022, 1, 1), sources=[a, c], targets=[d]
        )
    assert selectors.platform_counts_as_of(date=D(2022, 1, 1), by="status") == {"merged": 2, "operating": 2}


def test_overlap_proposes_same_host_pairs_with_reasons_and_staff_decide(staff):
    host = UnitFactory()
    kw = {"host": host, "disciplines": ["材料科学", "化学工程"], "industries": ["新材料"]}
    a = make(staff, "A", mission="煤基碳材料与煤基石墨烯制备及应用研究。", **kw)
    b = make(staff, "B", mission="煤基新材料、煤基石墨烯复合材料制备及应用研究。", **kw)
    make(
        staff,
        "C",
        host=UnitFactory(),
        mission="煤基石墨烯制备。",
        disciplines=["材料科学"],
        industries=["新材料"],
    )
    make(staff, "D", host=host, mission="肿瘤精准医学。", disciplines=["临床医学"], industries=["生物医药"])
    cands = selectors.merge_candidates()
    assert [(c.a.id, c.b.id) for c in cands] == [(a.pk, b.pk)]
    c = cands[0]
    assert c.discipline_overlap == 1.0 and c.industry_overlap == 1.0 and 0 < c.mission_similarity < 1
    assert any("同一依托单位" in r for r in c.reasons) and any("学科重叠" in r for r in c.reasons)
    with pytest.raises(PermissionDenied):
        services.merge_candidate_dismiss(actor=_op(), a=a, b=b, reason="x")
    reorg = services.merge_candidate_accept(
        actor=staff, a=a, b=b, code="AB", name="合并平台", date=D(2024, 1, 1), reason="重叠"
    )
    assert reorg.targets.get().disciplines == ["材料科学", "化学工程"]
    assert selectors.merge_candidates() == []


def _op():
    from kechuang.accounts.tests.factories import UserFactory
    from kechuang.core.roles import Role

    return UserFactory(roles=[Role.OPERATOR])


def test_only_staff_write_the_registry(operator, expert, applicant, commissioner):
    for user in (operator, expert, applicant, commissioner):
        with pytest.raises(PermissionDenied):
            services.platform_create(
                actor=user,
                code="X",
                name="X",
                kind=Kind.ALLIANCE,
                host=UnitFactory(),
                established=D(2021, 1, 1),
            )


def test_update_uses_optimistic_locking(staff):
    p = make(staff, "P")
    services.platform_update(
        actor=staff, platform=p, expected_version=1, name="新名称", industries="新材料、新能源"
    )
    p.refresh_from_db()
    assert p.name == "新名称" and p.industries == ["新材料", "新能源"] and p.version == 2
    with pytest.raises(Conflict):
        services.platform_update(actor=staff, platform=p, expected_version=1, name="旧表单")
    p.refresh_from_db()
    assert p.name == "新名称"
    assert audited(p, "platform.update")


def test_achievement_count_record_from_report(staff):
    p = make(staff, "CON", kind=Kind.CONSORTIUM)
    prov = {"document": 7, "start": 10, "end": 20, "quote": "实现进口替代技术74项"}
    a = services.achievement_count_record(
        actor=staff, platform_id=p.pk, kind="进口替代技术", count=74, period="2021年", provenance=prov
    )
    assert (a.kind, a.count, a.year, a.source) == (Achievement.Kind.IMPORT_SUBSTITUTION, 74, 2021, "report")
    again = services.achievement_count_record(
        actor=staff, platform_id=p.pk, kind="进口替代技术", count=75, period="2021", provenance=prov
    )
    assert again.pk == a.pk and Achievement.objects.count() == 1 and again.count == 75
    assert services.achievement_kind_of("国际国内领先技术") == "leading"
    assert services.achievement_kind_of("解决产业重大需求") == "industry_need"
    province_level = services.achievement_count_record(
        actor=SYSTEM,
        platform_id=None,
        kind="领先技术",
        count=89,
        period="2021",
        provenance={"document": 7, "start": 30},
    )
    assert province_level.platform is None
    assert selectors.achievement_totals() == {"import_substitution": 75, "leading": 89}
    with pytest.raises(ApplicationError):
        services.achievement_count_record(
            actor=staff, platform_id=p.pk, kind="x", count=0, period="2021", provenance={}
        )
    assert audited(a, "achievement.count_record") and audited(a, "achievement.count_update")


def test_platform_names_and_coverage(staff):
    p = make(staff, "P", short_name="简称")
    assert (p.pk, "平台P", ["简称"]) in selectors.platform_names()
    assert p.coverage_active() and p.get_absolute_url() == f"/platforms/{p.pk}/"
    services.platform_transition(actor=staff, platform=p, action="retire", on=D(2024, 1, 1), reason="撤销")
    assert not p.coverage_active()


def test_host_change_keeps_dated_affiliations(staff, api_for, operator):
    old, new = UnitFactory(), UnitFactory()
    p = make(staff, "H", host=old, established=D(2020, 1, 1))
    url = f"/api/platforms/{p.pk}/host/"
    assert api_for(operator).post(url, {"unit": new.pk, "on": "2022-01-01"}, format="json").status_code == 403
    assert api_for(staff).post(url, {"unit": 999999, "on": "2022-01-01"}, format="json").status_code == 400
    assert api_for(staff).post(url, {"unit": new.pk, "on": "2019-01-01"}, format="json").status_code == 400
    assert api_for(staff).post(url, {"unit": new.pk, "on": "2022-01-01"}, format="json").status_code == 200
    p.refresh_from_db()
    assert p.host == new
    links = list(p.affiliations.filter(role="host").order_by("start").values_list("unit_id", "start", "end"))
    assert links == [(old.pk, D(2020, 1, 1), D(2022, 1, 1)), (new.pk, D(2022, 1, 1), None)]
    assert audited(p, "platform.host_change")


def _lineage_by_fixpoint(platform):
    """The lineage as it was computed before the id-only pass: the whole graph, then its component."""
    graph = selectors.lineage()
    keep, changed = {platform.pk}, True
    while changed:
        changed = False
        for e in graph["edges"]:
            ends = {e["source"], e["target"]} - {None}
            if ends & keep and not ends <= keep:
                keep |= ends
                changed = True
    return {pk for pk in graph["nodes"] if pk in keep} | {platform.pk}, sorted(
        (e["source"], e["target"] or 0, e["reorg"]) for e in graph["edges"] if e["source"] in keep
    )


@pytest.mark.parametrize("seed", range(4))
def test_lineage_of_one_platform_equals_its_component_of_the_whole_graph(seed):
    """Random reorganisations (merges, splits, retirements of several at once, unrelated ones): the lineage
    found from the through tables' ids equals the connected component of the whole graph."""
    import random

    from kechuang.platforms.models import Reorganisation

    rng = random.Random(seed)
    platforms = [PlatformFactory() for _ in range(14)]
    for _ in range(9):
        kind = rng.choice(["merge", "split", "upgrade", "retire"])
        r = Reorganisation.objects.create(
            kind=kind, date=D(2020, 1, 1) + datetime.timedelta(days=rng.randrange(900))
        )
        r.sources.set(rng.sample(platforms, rng.randint(1, 3)))
        if kind != "retire":
            r.targets.set(rng.sample(platforms, rng.randint(1, 2)))
    for p in platforms:
        graph = selectors.lineage(platform=p)
        nodes, edges = _lineage_by_fixpoint(p)
        assert set(graph["nodes"]) == nodes
        assert sorted((e["source"], e["target"] or 0, e["reorg"]) for e in graph["edges"]) == edges
