import datetime

import pytest

from kechuang.techmap import selectors

from .factories import ChainFactory, CoverageFactory, LinkFactory, TechnologyFactory

# Tests that reach the database through factories or role fixtures fetched on the fly (the `nodb` mark of
# src/kechuang/conftest.py reads fixtures, not function bodies).
pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2025, 6, 1, 12, tzinfo=datetime.UTC)


@pytest.fixture
def scene(coverable, time_machine):
    """Seven technologies on one chain, each with a different coverage situation (see comments)."""
    time_machine.move_to(TODAY)
    chain = ChainFactory(name="新材料")
    up = LinkFactory(chain=chain, name="衬底")
    mid = LinkFactory(chain=chain, name="膜材料", midstream=True)
    t = {
        "uncovered": TechnologyFactory(link=up, name="A 无人覆盖", bottleneck=True),
        "project": TechnologyFactory(link=up, name="B 在研项目", bottleneck=True),
        "topic_only": TechnologyFactory(link=up, name="C 只有课题", bottleneck=True),
        "ended": TechnologyFactory(link=mid, name="D 项目已结题", bottleneck=True),
        "future": TechnologyFactory(link=mid, name="E 平台明年才覆盖", bottleneck=True),
        "stopped": TechnologyFactory(link=mid, name="F 平台已停", bottleneck=True),
        "plain": TechnologyFactory(link=mid, name="G 非卡脖子"),
    }
    CoverageFactory(technology=t["project"], target=coverable("碳化硅项目"), since=datetime.date(2024, 1, 1))
    CoverageFactory(technology=t["topic_only"], target=coverable("课题单位"), topic=True)
    CoverageFactory(technology=t["ended"], target=coverable("结题项目"), ended=True)
    CoverageFactory(
        technology=t["future"], target=coverable("未来平台"), platform=True, since=datetime.date(2026, 1, 1)
    )
    CoverageFactory(technology=t["stopped"], target=coverable("停运平台"), platform=True)
    return t


def names(rows):
    return sorted(r.technology.name for r in rows)


def test_gap_report_today(scene, staff):
    rows = selectors.gap_report(user=staff)
    # B is covered by an active project; G is no bottleneck. Every other bottleneck is a gap.
    assert names(rows) == ["A 无人覆盖", "C 只有课题", "D 项目已结题", "E 平台明年才覆盖", "F 平台已停"]
    by_name = {r.technology.name: r for r in rows}
    assert [c.target_repr for c in by_name["C 只有课题"].planned] == ["课题单位"]
    assert [c.target_repr for c in by_name["D 项目已结题"].ended] == ["结题项目"]
    assert [c.target_repr for c in by_name["F 平台已停"].ended] == ["停运平台"]


def test_gap_report_as_of_a_past_date(scene, staff):
    # On 2023-06-30: B's project had not started (since 2024-01-01) so B was a gap; D's project was
    # running (2022-01-01..2023-12-31); F's platform is judged by its dates only (its present state
    # says nothing of the past), so F was covered.
    rows = selectors.gap_report(user=staff, as_of=datetime.date(2023, 6, 30))
    assert names(rows) == ["A 无人覆盖", "B 在研项目", "C 只有课题", "E 平台明年才覆盖"]


def test_gap_report_future_date(scene, staff):
    rows = selectors.gap_report(user=staff, as_of=datetime.date(2026, 2, 1))
    assert "E 平台明年才覆盖" not in names(rows)


@pytest.mark.parametrize("role", ["commissioner", "expert"])
def test_gap_report_for_internal_readers(scene, request, role):
    assert len(selectors.gap_report(user=request.getfixturevalue(role))) == 5


@pytest.mark.parametrize("role", ["applicant", "operator"])
def test_gap_report_empty_for_others(scene, request, role):
    assert selectors.gap_report(user=request.getfixturevalue(role)) == []
    assert selectors.gap_report(user=None) == []


def test_deleted_target_never_covers(scene, staff):
    from kechuang.accounts.models import Unit

    Unit.objects.filter(name="碳化硅项目").delete()
    assert "B 在研项目" in names(selectors.gap_report(user=staff))


def test_matrix_counts(scene, staff, applicant):
    other = ChainFactory(name="核技术", draft=True)
    TechnologyFactory(link=LinkFactory(chain=other, downstream=True), bottleneck=True)
    m = selectors.map_matrix(user=staff)
    rows = {r["chain"]["name"]: r for r in m["rows"]}
    up, mid, down = rows["新材料"]["cells"]
    assert (up["technologies"], up["bottlenecks"], up["gaps"]) == (3, 3, 2)  # A, C gaps; B covered
    assert (mid["technologies"], mid["bottlenecks"], mid["gaps"]) == (4, 3, 3)
    assert down["technologies"] == 0 and down["links"] == []
    assert [c["gaps"] for c in rows["核技术"]["cells"]] == [0, 0, 1]
    assert [t["gaps"] for t in m["totals"]] == [2, 3, 1]
    public = selectors.map_matrix(user=applicant)
    assert [r["chain"]["name"] for r in public["rows"]] == ["新材料"]  # the draft chain is not public
    assert public["rows"][0]["cells"][0]["gaps"] is None  # nor is coverage


def test_map_tree_hides_coverage_from_public(scene, staff, applicant):
    tree = selectors.map_tree(user=staff)
    techs = {t["name"]: t for lk in tree[0]["links"] for t in lk["technologies"]}
    assert techs["B 在研项目"]["covered"] and not techs["B 在研项目"]["gap"]
    assert [c["name"] for c in techs["B 在研项目"]["coverage"]] == ["碳化硅项目"]
    assert [c["name"] for c in techs["C 只有课题"]["coverage"]] == ["课题单位"]
    assert techs["A 无人覆盖"]["gap"]
    public = selectors.map_tree(user=applicant)
    ptechs = [t for lk in public[0]["links"] for t in lk["technologies"]]
    assert all(t["coverage"] == [] and t["gap"] is None for t in ptechs)


def test_technology_list_filters(scene, staff):
    assert selectors.technology_list(user=staff, bottleneck=False).count() == 1
    assert selectors.technology_list(user=staff, stage="midstream").count() == 4
    assert [t.name for t in selectors.technology_list(user=staff, q="课题")] == ["C 只有课题"]


def test_selectors_query_count_does_not_grow(scene, staff, django_assert_max_num_queries):
    # Coverage targets are prefetched per type: the tree costs a fixed number of queries.
    with django_assert_max_num_queries(10):
        selectors.map_tree(user=staff)


def test_each_target_is_asked_once(staff):
    """Topic.coverage_active() queries; a topic covering many technologies is asked once per read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kechuang.challenges.models import Topic

    topic = Topic.objects.create(title="共享课题")
    link = LinkFactory()

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            selectors.gap_report(user=staff)
        return len(ctx.captured_queries)

    CoverageFactory(technology=TechnologyFactory(link=link, bottleneck=True), target=topic, topic=True)
    queries()  # warms the content-type cache
    one = queries()
    for _ in range(5):
        CoverageFactory(technology=TechnologyFactory(link=link, bottleneck=True), target=topic, topic=True)
    assert queries() == one


def test_many_topics_are_asked_in_bulk(staff):
    """Distinct topics are asked together (Topic.coverage_active_among), not two queries each: the gap report
    and the technology table make as many queries for 2 covering topics as for 8, with the same answers."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kechuang.challenges.models import Topic
    from kechuang.challenges.tests.factories import ChallengeFactory

    link = LinkFactory()

    def add(n):
        for i in range(n):
            topic = Topic.objects.create(title=f"课题{Topic.objects.count()}")
            if i % 2:  # every other topic has an open challenge: it covers its technology
                ChallengeFactory(topic=topic, status="published")
            CoverageFactory(
                technology=TechnologyFactory(link=link, bottleneck=True), target=topic, topic=True
            )

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            rows = selectors.gap_report(user=staff)
        states = selectors.coverage_states([r.technology.pk for r in rows])
        return len(ctx.captured_queries), sum(1 for st in states.values() if st.active)

    add(2)
    measure()  # warms the content-type cache
    small = measure()
    add(6)
    big = measure()
    assert small[0] == big[0], (small, big)
    # A topic's link is active (not waiting) while one of its challenges is open.
    assert (small[1], big[1]) == (1, 4)
    covered = [t for t in Topic.objects.all() if t.coverage_active()]
    assert len(covered) == 4
