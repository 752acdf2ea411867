import io

import pytest

from kechuang.accounts import demo as accounts_demo
from kechuang.accounts.models import User
from kechuang.techmap import demo, selectors
from kechuang.techmap.models import Chain, Coverage, Technology, TrlRecord

pytestmark = pytest.mark.slow  # scheduled first: tools/runtests.py, conftest


def test_demo_is_idempotent_and_leaves_gaps(db):
    accounts_demo.load()
    out = io.StringIO()
    demo.load(stdout=out)
    counts = (
        Chain.objects.count(),
        Technology.objects.count(),
        TrlRecord.objects.count(),
        Coverage.objects.count(),
    )
    demo.load(stdout=out)
    assert counts == (
        Chain.objects.count(),
        Technology.objects.count(),
        TrlRecord.objects.count(),
        Coverage.objects.count(),
    )
    assert counts[:3] == (8, len(demo.TECHNOLOGIES), sum(len(t[6]) for t in demo.TECHNOLOGIES))
    cathode = Technology.objects.get(name="新能源电池正极材料")
    assert str(cathode.local_supply_pct) == "77.0" and cathode.trl_current == 8
    hjt = Technology.objects.get(name="异质结电池磁控溅射装备")
    assert (hjt.trl_current, str(hjt.trl_current_on)) == (6, "2025-03-31")  # the later of two dated values
    # every chain, link and technology reads in English on English pages; a map loaded before the English
    # names gets them on the next load
    assert (
        not Chain.objects.filter(name_en="").exists() and not Technology.objects.filter(name_en="").exists()
    )
    Chain.objects.update(name_en="")
    Technology.objects.update(name_en="")
    demo.load(stdout=out)
    assert Chain.objects.get(name="新能源").name_en == "New energy"
    assert not Technology.objects.filter(name_en="").exists()
    staff = User.objects.get(username="staff")
    gaps = {r.technology.name for r in selectors.gap_report(user=staff)}
    # With no platforms or projects in this database, every demo bottleneck is a gap.
    assert gaps == {t[1] for t in demo.TECHNOLOGIES if t[2]}
    assert not Chain.objects.get(name="集成电路封装").published
    assert "攻坚图谱：" in out.getvalue()  # the progress line, in the site's language


def test_demo_links_to_other_demos_and_gaps_follow_coverage_active(db):
    """Against the real platforms and challenges apps: coverage found by name, and the gap report agrees
    with each target's own coverage_active()."""
    from kechuang.challenges import demo as challenges_demo
    from kechuang.platforms import demo as platforms_demo

    accounts_demo.load()
    platforms_demo.load(stdout=io.StringIO())
    challenges_demo.load(stdout=io.StringIO())
    out = io.StringIO()
    demo.load(stdout=out)
    assert "，0 个跳过" in out.getvalue()  # every demo coverage found its object
    links = list(Coverage.objects.select_related("technology"))
    assert len(links) == len(demo.COVERAGE)
    assert {c.content_type.app_label for c in links} == {"challenges", "platforms"}
    assert {c.kind for c in links} == {"topic", "challenge", "project", "platform", "consortium"}
    staff = User.objects.get(username="staff")
    gaps = {r.technology.name for r in selectors.gap_report(user=staff)}
    for tech in Technology.objects.filter(is_bottleneck=True):
        closing = [c for c in links if c.technology_id == tech.pk and c.kind in Coverage.CLOSING_KINDS]
        covered = any(c.target.coverage_active() for c in closing)
        assert (tech.name in gaps) is not covered, tech.name
