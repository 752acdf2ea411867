"""A challenge's and a contract's target indicators have their unit in the reader's language: an optional English
form (unit_en) typed beside the Chinese on the draft's form or given by staff at any status (audited, the
contracts' too), copied at award and into a project evaluation's leaves; where none was typed, English pages
show core.units' table (英寸 → inches), else the Chinese (英寸, 个/cm² showed in English; usable12)."""

import pytest
from django.utils import translation

from kechuang.challenges import services
from kechuang.challenges.forms import AcceptanceForm, ChallengeForm
from kechuang.challenges.models import ChallengeIndicator, ContractIndicator
from kechuang.core.exceptions import PermissionDenied
from kechuang.core.formkinds import rows_post
from kechuang.core.models import AuditEvent

from .factories import ChallengeFactory, ContractFactory

pytestmark = pytest.mark.django_db


def test_the_drafts_form_takes_an_english_unit_beside_each_indicator():
    data = rows_post(
        "indicators_text",
        [
            {"name": "产能", "unit": "片/小时", "unit_en": " wafers per hour ", "target": "8000"},
            {"name": "衬底直径", "unit": "英寸", "target": "8"},
        ],
    )
    form = ChallengeForm(data)
    form.is_valid()
    rows = form.cleaned_data["indicators_text"]
    assert [(r["unit"], r["unit_en"]) for r in rows] == [("片/小时", "wafers per hour"), ("英寸", "")]
    assert "indicators_text-0-unit_en" in str(ChallengeForm()["indicators_text"])


def test_the_unit_in_the_readers_language_typed_then_the_table_then_chinese():
    ch = ChallengeFactory(status="published")  # 晶圆直径 (英寸), 微管密度 (个/cm²): no English typed
    typed = ChallengeIndicator.objects.create(
        challenge=ch, seq=3, name="产能", unit="片/小时", unit_en="wafers per hour", target=8000
    )
    odd = ChallengeIndicator.objects.create(challenge=ch, seq=4, name="当量", unit="标准当量", target=1)
    inch = ch.indicators.get(name="晶圆直径")
    with translation.override("en"):
        assert (typed.local_unit, inch.local_unit, odd.local_unit) == (
            "wafers per hour",
            "inches",
            "标准当量",
        )
    with translation.override("zh-hans"):
        assert (typed.local_unit, inch.local_unit) == ("片/小时", "英寸")


def test_the_challenge_page_shows_the_units_in_english(client, english):
    ch = ChallengeFactory(status="published")
    zh = client.get(ch.get_absolute_url()).content.decode()
    assert "<td>英寸</td>" in zh and "inches" not in zh
    en = english(client).get(ch.get_absolute_url()).content.decode()
    assert "<td>inches</td>" in en and "<td>per cm²</td>" in en and "英寸" not in en


def test_the_award_copies_the_english_unit_into_the_contract(staff):
    contract = ContractFactory()
    ch = contract.challenge
    services.indicator_units_translate(actor=staff, challenge=ch, units={"英寸": "in"})
    assert ContractIndicator.objects.get(contract=contract, name="晶圆直径").unit_en == "in"
    # what the award copies: every field the challenge's indicator has (decisions.award)
    import inspect

    from kechuang.challenges.services import decisions

    assert "unit_en=ind.unit_en" in inspect.getsource(decisions)


def test_staff_give_them_at_any_status_the_contracts_too_audited(staff, applicant):
    contract = ContractFactory()
    ch = contract.challenge
    with pytest.raises(PermissionDenied):
        services.indicator_units_translate(actor=applicant, challenge=ch, units={"英寸": "in"})
    assert (
        services.indicator_units_translate(actor=staff, challenge=ch, units={"英寸": "inches (wafer)"}) == 2
    )
    ind = ContractIndicator.objects.get(contract=contract, name="晶圆直径")
    assert ind.unit_en == "inches (wafer)" and ind.unit == "英寸"
    events = AuditEvent.objects.filter(action="challenge.indicator_unit_translate")
    assert sorted(e.after["unit_en"] for e in events) == ["inches (wafer)", "inches (wafer)"]
    assert (
        services.indicator_units_translate(actor=staff, challenge=ch, units={"英寸": "inches (wafer)"}) == 0
    )
    with pytest.raises(Exception) as refused:  # too long: refused, named by the field, nothing written
        services.indicator_units_translate(actor=staff, challenge=ch, units={"英寸": "x" * 81})
    assert "unit_en" in str(refused.value)


def test_the_contract_page_and_its_acceptance_form_say_the_unit_in_english(staff, english_client_for):
    contract = ContractFactory()
    page = english_client_for(staff).get(contract.get_absolute_url()).content.decode()
    assert "inches" in page and "per cm²" in page
    with translation.override("en"):
        labels = [str(f.label) for f in AcceptanceForm(contract=contract).fields.values()]
    assert any("inches" in label for label in labels), labels


def test_a_project_evaluations_leaves_take_the_english_unit(staff, client_for):
    from kechuang.evaluation import selectors
    from kechuang.evaluation import services as evaluation
    from kechuang.evaluation.tests.test_projects import accept, project_campaign

    contract = ContractFactory(title="碳化硅单晶衬底")
    accept(contract, {"晶圆直径": "8", "微管密度": "0.8"})
    ContractIndicator.objects.filter(contract=contract, name="晶圆直径").update(unit_en="in")
    c = project_campaign(staff)
    evaluation.tree_add_default(actor=staff, campaign=c)
    evaluation.contracts_set(actor=staff, campaign=c, contracts=[contract])
    leaves = c.nodes.filter(contract_indicator__isnull=False)
    assert {n.name: n.params.get("unit_en") for n in leaves} == {"晶圆直径": "in", "微管密度": ""}
    entry = c.entries.get()
    with translation.override("en"):
        units = {r["node"].name: r["unit"] for r in selectors.own_leaves(entry=entry)}
    assert units == {"晶圆直径": "in", "微管密度": "per cm²"}
    # given after the leaves were made (a demo loaded before): the leaves without one take it, audited
    ContractIndicator.objects.filter(contract=contract, name="微管密度").update(unit_en="pits per cm²")
    assert evaluation.node_names_from_contracts(actor=staff, campaign=c) == 1
    assert leaves.get(name="微管密度").params["unit_en"] == "pits per cm²"
    assert AuditEvent.objects.filter(
        action="campaign.node_translate", after={"unit_en": "pits per cm²"}
    ).exists()


def test_an_evaluation_collected_before_the_leaves_names_its_rows_at_read_time():
    from kechuang.evaluation.selectors import collected_indicators

    class S:
        detail = [
            {"name": "晶圆直径", "unit": "英寸", "target": "8"},
            {"name": "x", "name_en": "X", "unit": ""},
        ]

    with translation.override("en"):
        rows = collected_indicators([S()])
    assert [(r["name"], r["unit"]) for r in rows] == [("晶圆直径", "inches"), ("X", "")]


def test_the_demo_names_the_units_its_table_cannot():
    import re
    from pathlib import Path

    from kechuang.challenges import demo
    from kechuang.core.units import english

    text = Path(demo.__file__).read_text(encoding="utf-8")
    pairs = re.findall(r'"name": "([^"]+)",\s*"unit": "([^"]+)"', text)
    chinese = {name for name, unit in pairs if re.search(r"[\u4e00-\u9fff]", unit)}
    assert chinese and chinese <= set(demo.INDICATOR_UNITS_EN) | {n for n, u in pairs if english(u)}
