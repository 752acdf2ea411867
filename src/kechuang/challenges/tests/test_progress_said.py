"""A project's indicator progress before any value is verified (people34, first sight): the page says so in
words, draws no chart of empty 0 % bars and writes no 0 % of progress against an indicator nobody has measured;
once a milestone is verified, the chart draws the indicators with a value. The mid-term score says its scale."""

import json
import re

import pytest
from django.db.models import F

from kechuang.challenges.models import Milestone

from .factories import ContractFactory

pytestmark = pytest.mark.django_db

CHART = re.compile(r'<script id="progress-data" type="application/json">(.*?)</script>')


def _cells(body: str) -> list[str]:
    table = body.split("<h2>考核指标与进度</h2>")[1].split("</table>")[0]
    return re.findall(r'<td class="num">(.*?)</td>', table)


def test_no_verified_value_is_said_in_words_not_drawn(client_for, staff, english_client_for):
    contract = ContractFactory(running=True)
    body = client_for(staff).get(contract.get_absolute_url()).content.decode()
    assert 'id="progress-chart"' not in body and "echarts" not in body
    assert "还没有核验过的指标值" in body
    assert _cells(body)[3::4] == ["—", "—"]  # progress of an indicator without a value: none, not 0 %
    assert json.loads(CHART.search(body).group(1)) == {"names": [], "values": []}
    assert "分（满分 100" in body
    en = english_client_for(staff).get(contract.get_absolute_url()).content.decode()
    assert "No indicator value has been verified yet" in en and "out of 100" in en


def test_a_verified_value_is_drawn_with_the_others_said(client_for, staff):
    contract = ContractFactory(running=True)
    m1 = contract.milestones.get(seq=1)  # holds a value of 晶圆直径 only
    m1.values.update(reported=F("target"))
    Milestone.objects.filter(pk=m1.pk).update(status="verified")
    body = client_for(staff).get(contract.get_absolute_url()).content.decode()
    assert 'id="progress-chart"' in body and "echarts" in body
    assert json.loads(CHART.search(body).group(1)) == {"names": ["晶圆直径"], "values": [50.0]}
    assert "图中只有已有核验值的指标" in body
    assert _cells(body)[3::4] == ["50%", "—"]
