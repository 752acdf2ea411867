"""Units outside the audit trail in the reader's language (usable13): the public challenge export's and print
page's indicator column, a contract's progress chart and acceptance table, a framework's node units — the
English typed, else core.units' table, else the Chinese; Chinese requests as before."""

import io
import json
import re

import pytest
from django.conf import settings
from django.db.models import F
from django.urls import reverse
from openpyxl import load_workbook

from kechuang.challenges.models import (
    Acceptance,
    AcceptanceItem,
    ChallengeIndicator,
    ContractIndicator,
    Milestone,
)

from .factories import ChallengeFactory, ContractFactory

pytestmark = pytest.mark.django_db


def _indicator_cell(client) -> str:
    x = client.get(reverse("challenges:export-list-xlsx") + "?year=2026")
    assert x.status_code == 200
    rows = list(load_workbook(io.BytesIO(x.content)).active.iter_rows(values_only=True))
    head = list(rows[0])
    column = "考核指标" if "考核指标" in head else "Assessment indicators"
    return rows[1][head.index(column)]


def test_the_public_export_names_the_indicators_in_the_readers_language(client, english):
    ch = ChallengeFactory(status="published", year=2026)  # 晶圆直径 (英寸) ≥ 8, 微管密度 (个/cm²) ≤ 1
    ChallengeIndicator.objects.filter(challenge=ch, name="晶圆直径").update(name_en="Wafer diameter")
    ChallengeIndicator.objects.create(
        challenge=ch, seq=3, name="良率", unit="%", target=95
    )  # a unit in Latin letters: the same, no space before %
    ChallengeIndicator.objects.create(
        challenge=ch, seq=4, name="当量", unit="标准当量", unit_en="", target=2
    )  # a unit the table does not know: the Chinese
    assert _indicator_cell(client) == "晶圆直径≥8英寸；微管密度≤1个/cm²；良率≥95%；当量≥2标准当量"
    assert _indicator_cell(english(client)) == (
        "Wafer diameter ≥ 8 inches; 微管密度 ≤ 1 per cm²; 良率 ≥ 95%; 当量 ≥ 2 标准当量"
    )
    ChallengeIndicator.objects.filter(challenge=ch, name="晶圆直径").update(unit_en="in")
    assert _indicator_cell(client).startswith("Wafer diameter ≥ 8 in;")


def test_the_print_page_too_in_its_language(client, english):
    ChallengeFactory(status="published", year=2026)
    zh = client.get(reverse("challenges:export-list-print") + "?year=2026").content.decode()
    assert '<html lang="zh-hans">' in zh and "晶圆直径≥8英寸" in zh
    en = english(client).get(reverse("challenges:export-list-print") + "?year=2026").content.decode()
    assert '<html lang="en">' in en and "晶圆直径 ≥ 8 inches" in en and "英寸" not in en
    # the award list's print page too says its language (it was zh-hans on English pages)
    awards = client.get(reverse("challenges:export-awards-print") + "?year=2026").content.decode()
    assert '<html lang="en">' in awards


def test_a_contracts_chart_and_acceptance_in_english(client_for, staff, english_client_for):
    contract = ContractFactory()
    ContractIndicator.objects.filter(contract=contract, name="晶圆直径").update(name_en="Wafer diameter")
    acceptance = Acceptance.objects.create(contract=contract, accepted_on="2027-12-01", verdict="passed")
    for ind in contract.indicators.all():
        AcceptanceItem.objects.create(acceptance=acceptance, indicator=ind, achieved=ind.target, met=True)
    # the chart draws the indicators with a verified value (people34): the second milestone verified
    m2 = contract.milestones.get(seq=2)
    m2.values.update(reported=F("target"))
    Milestone.objects.filter(pk=m2.pk).update(status="verified")
    zh = client_for(staff).get(contract.get_absolute_url()).content.decode()
    assert "<td>晶圆直径（英寸）</td>" in zh
    en = english_client_for(staff).get(contract.get_absolute_url()).content.decode()
    assert "<td>Wafer diameter (inches)</td>" in en and "<td>微管密度 (per cm²)</td>" in en
    chart = re.search(r'<script id="progress-data" type="application/json">(.*?)</script>', en).group(1)
    assert json.loads(chart)["names"] == ["Wafer diameter", "微管密度"]  # the chart's axis


def test_a_frameworks_node_units_in_english(client, english):
    from kechuang.indicators.tests.factories import FrameworkFactory

    fw = FrameworkFactory()
    spec = dict(fw.spec)
    spec["nodes"][0]["children"][0]["unit"] = "人年/万人"
    spec["nodes"][0]["children"][1]["unit"] = "%"
    fw.spec = spec
    fw.save(update_fields=["spec"])
    url = reverse("indicators:framework-detail", args=[fw.pk])
    zh = client.get(url).content.decode()
    assert "<td>人年/万人</td>" in zh
    en = english(client).get(url).content.decode()
    assert "<td>person-years per 10,000 population</td>" in en and "人年/万人" not in en


def _award_rows(client) -> list[tuple]:
    x = client.get(reverse("challenges:export-awards-xlsx") + "?year=2026")
    assert x.status_code == 200
    return list(load_workbook(io.BytesIO(x.content)).active.iter_rows(values_only=True))


def test_the_award_list_names_the_list_as_the_challenge_lists_file_does(client, english):
    # the award list's file has the challenge list's two name columns: the Chinese title, the English beside it
    # (usable14: it had the Chinese title alone, on English requests too); its print page the reader's
    contract = ContractFactory(
        application__challenge__title="碳化硅单晶衬底", application__title="8英寸衬底攻关"
    )
    ch = contract.challenge
    rows = _award_rows(client)
    assert rows[0][:4] == ("榜单编号", "榜单名称", "英文名称", "项目名称")
    assert rows[1][1:4] == ("碳化硅单晶衬底", None, "8英寸衬底攻关")  # no English name given: an empty cell
    ch.title_en = "SiC single-crystal substrates"
    ch.save(update_fields=["title_en"])
    assert _award_rows(client)[1][1:3] == ("碳化硅单晶衬底", "SiC single-crystal substrates")
    rows = _award_rows(english(client))
    assert rows[0][:4] == (
        "Challenge code",
        "Challenge title (Chinese, official)",
        "English name",
        "Project title",
    )
    assert rows[1][1:3] == ("碳化硅单晶衬底", "SiC single-crystal substrates")
    assert [r[:3] for r in _indicator_rows_of_the_list(client)] == [
        (ch.code, "碳化硅单晶衬底", "SiC single-crystal substrates")
    ]
    en = client.get(reverse("challenges:export-awards-print") + "?year=2026").content.decode()
    assert "<td>SiC single-crystal substrates</td>" in en and "碳化硅单晶衬底" not in en
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    zh = client.get(reverse("challenges:export-awards-print") + "?year=2026").content.decode()
    assert "<td>碳化硅单晶衬底</td>" in zh and "SiC single-crystal" not in zh


def _indicator_rows_of_the_list(client) -> list[tuple]:
    x = client.get(reverse("challenges:export-list-xlsx") + "?year=2026")
    return list(load_workbook(io.BytesIO(x.content)).active.iter_rows(values_only=True))[1:]


def test_an_english_name_like_a_formula_stays_text_in_the_award_list(client, english):
    from kechuang.core.excel import FORMULA_STARTS

    contract = ContractFactory()
    ch = contract.challenge
    for start in FORMULA_STARTS[:4]:  # = + - @
        ch.title_en = f'{start}HYPERLINK("http://x")'
        ch.save(update_fields=["title_en"])
        x = english(client).get(reverse("challenges:export-awards-xlsx") + "?year=2026")
        cell = load_workbook(io.BytesIO(x.content)).active.cell(row=2, column=3)
        assert cell.value == ch.title_en and cell.data_type == "s" and cell.quotePrefix, start
