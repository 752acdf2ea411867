"""A merge's new platform code is proposed, not typed (people37): the next free code of the first platform's
series, prefilled and editable, with its rule said; a code already taken is refused with the next free one
named and everything typed kept."""

import pytest

from kechuang.platforms import selectors
from kechuang.platforms.tests.factories import PlatformFactory

pytestmark = pytest.mark.django_db


def test_the_next_free_code_of_a_series():
    PlatformFactory(code="SX-PL-01")
    PlatformFactory(code="SX-PL-09")
    PlatformFactory(code="SX-NRD-01")
    assert selectors.next_code("SX-PL-01") == "SX-PL-10"
    assert selectors.next_code("SX-NRD-01") == "SX-NRD-02"
    assert selectors.next_code("T-00042") == "T-00001"  # a series no platform has taken yet: its first
    PlatformFactory(code="晋中实验室")
    assert selectors.next_code("晋中实验室") == "晋中实验室-1"


def test_the_overlap_page_proposes_the_code_and_says_its_rule(client, staff):
    a = PlatformFactory(code="SX-PL-03", name="晋中碳化硅材料重点实验室", mission="碳化硅 衬底 外延 器件")
    PlatformFactory(
        code="SX-PL-04",
        name="晋中宽禁带半导体重点实验室",
        host=a.host,
        mission="碳化硅 衬底 外延 器件",
        disciplines=a.disciplines,
        industries=a.industries,
    )
    client.force_login(staff)
    html = client.get("/platforms/overlap/?min=0").content.decode()
    assert 'name="code" value="SX-PL-05"' in html
    assert "下一个空号" in html


def test_a_taken_code_is_refused_with_the_next_free_one_and_the_input_kept(client, staff):
    a = PlatformFactory(code="SX-PL-03", status="operating")
    b = PlatformFactory(code="SX-PL-04", host=a.host, status="operating")
    client.force_login(staff)
    data = {"decision": "accept", "a": a.pk, "b": b.pk, "code": "SX-PL-04", "name": "晋中第三代半导体实验室"}
    r = client.post("/platforms/overlap/decide/", {**data, "date": "2026-06-30", "reason": "方向重叠"})
    html = r.content.decode()
    assert r.status_code == 400
    assert "SX-PL-05" in html and 'value="晋中第三代半导体实验室"' in html and 'value="方向重叠"' in html
