"""The challenge page's audit trail shows its target indicators' English names and units (usable14): they are
audited on the indicator rows (services.challenge_english_set), so the page showed only the list's English
name; staff's trail now reads the rows' events too (selectors.challenge_indicator_trail, one query), each
line naming its indicator in the reader's language; no one else's trail shows them (no state changes)."""

import html as htmllib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.challenges import selectors, services
from kechuang.challenges.models import ChallengeIndicator

from .factories import ChallengeFactory

pytestmark = pytest.mark.django_db


def _trail(html: str) -> list[str]:
    """The trail's rows as text: each cell's text joined with |."""
    section = html[html.index('<section class="audit"') :]
    rows = re.findall(r"<tr><td>(.*?)</td></tr>", section, re.S)
    return [
        htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r.replace("</td><td>", "|"))).strip())
        for r in rows
    ]


def _named(staff):
    ch = ChallengeFactory(status="published", title="碳化硅衬底")
    inch = ch.indicators.get(name="晶圆直径")
    pits = ch.indicators.get(name="微管密度")
    services.challenge_english_set(
        actor=staff,
        challenge=ch,
        expected_version=ch.version,
        title_en="SiC substrates",
        indicators={
            inch.pk: {"name_en": "Wafer diameter", "unit_en": "in"},
            pits.pk: {"name_en": "Micropipes"},
        },
    )
    return ch


def test_staffs_trail_names_each_indicators_english_edit_in_chinese(client_for, staff):
    ch = _named(staff)
    lines = _trail(client_for(staff).get(ch.get_absolute_url()).content.decode())
    joined = "\n".join(lines)
    assert "设置指标英文名称（晶圆直径）" in joined and "Wafer diameter" in joined
    assert "设置指标计量单位英文（晶圆直径）" in joined and "in" in joined
    assert "设置指标英文名称（微管密度）" in joined and "Micropipes" in joined
    assert any(
        "设置英文名称" in line and "SiC substrates" in line for line in lines
    )  # the list's own, as before
    assert len([line for line in lines if "（晶圆直径）" in line or "（微管密度）" in line]) == 3


def test_in_english_the_indicator_by_its_english_name(staff, english_client_for):
    ch = _named(staff)
    c = english_client_for(staff)
    joined = "\n".join(_trail(c.get(ch.get_absolute_url()).content.decode()))
    assert "Set the indicator's English name (Wafer diameter)" in joined
    assert "(Micropipes)" in joined and "晶圆直径" not in joined


def test_no_one_elses_page_shows_them(client, client_for, applicant, staff):
    ch = _named(staff)
    for c in (client, client_for(applicant)):
        page = c.get(ch.get_absolute_url())
        assert page.status_code == 200 and page.context["indicator_trail"] is None  # not even read
        assert "（晶圆直径）" not in page.content.decode()


def test_one_query_whatever_the_indicators_and_events(staff):
    ch = _named(staff)
    for n in range(3, 8):
        ChallengeIndicator.objects.create(challenge=ch, seq=n, name=f"指标{n}", unit="个", target=n)
    ch = selectors.challenge_get(pk=ch.pk, user=staff)
    services.challenge_english_set(
        actor=staff,
        challenge=ch,
        expected_version=ch.version,
        title_en=ch.title_en,
        indicators={i.pk: {"name_en": f"Indicator {i.seq}"} for i in ch.indicators.all() if i.seq >= 3},
    )
    ch = selectors.challenge_get(pk=ch.pk, user=staff)
    with CaptureQueriesContext(connection) as queries:
        trail = selectors.challenge_indicator_trail(ch)
    assert len(queries) == 1 and len(trail.events) == 8 and len(trail.rows) == 7
    assert [e.at for e in trail.events] == sorted((e.at for e in trail.events), reverse=True)
