"""A challenge's target indicators take an optional English name (ChallengeIndicator.name_en): typed beside the
Chinese on the draft's form, given or corrected at any status by staff (audited, the contracts' indicators too),
copied into the contract at award and into a project evaluation's leaves; English pages show it and fall back to
the Chinese (the contract's indicators showed Chinese names in the English interface; usable10)."""

import pytest
from django.utils import translation

from kechuang.challenges import services
from kechuang.challenges.forms import ChallengeForm
from kechuang.challenges.models import ChallengeIndicator, ContractIndicator
from kechuang.core.exceptions import PermissionDenied
from kechuang.core.formkinds import rows_post
from kechuang.core.models import AuditEvent

from .factories import ChallengeFactory, ContractFactory

pytestmark = pytest.mark.django_db


def test_the_drafts_form_takes_an_english_name_beside_each_indicator():
    data = rows_post(
        "indicators_text",
        [
            {"name": "衬底良率", "name_en": " Substrate yield ", "target": "75", "direction": "higher"},
            {"name": "微管密度", "target": "1", "direction": "lower"},
        ],
    )
    form = ChallengeForm(data)
    form.is_valid()
    rows = form.cleaned_data["indicators_text"]
    assert [(r["name"], r["name_en"]) for r in rows] == [("衬底良率", "Substrate yield"), ("微管密度", "")]
    assert "indicators_text-0-name_en" in str(ChallengeForm()["indicators_text"])


def test_english_pages_name_the_indicators_in_english(client, english):
    ch = ChallengeFactory(status="published")  # 晶圆直径 and 微管密度, without English names
    ChallengeIndicator.objects.create(
        challenge=ch, seq=3, name="衬底良率", name_en="Substrate yield", target=75
    )
    zh = client.get(ch.get_absolute_url()).content.decode()
    assert "<td>衬底良率</td>" in zh and "Substrate yield" not in zh
    english(client)
    en = client.get(ch.get_absolute_url()).content.decode()
    assert "<td>Substrate yield</td>" in en and "<td>微管密度</td>" in en


def test_staff_name_them_at_any_status_the_contracts_too_audited(staff, applicant):
    contract = ContractFactory()
    ch = contract.challenge  # 晶圆直径 and 微管密度, in the challenge and in the contract
    with pytest.raises(PermissionDenied):
        services.indicator_names_translate(actor=applicant, challenge=ch, names={"晶圆直径": "x"})
    n = services.indicator_names_translate(actor=staff, challenge=ch, names={"晶圆直径": "Wafer diameter"})
    assert (
        n == 2 and ChallengeIndicator.objects.get(challenge=ch, name="晶圆直径").name_en == "Wafer diameter"
    )
    ind = ContractIndicator.objects.get(contract=contract, name="晶圆直径")
    assert ind.name_en == "Wafer diameter" and ind.name == "晶圆直径"
    with translation.override("en"):
        assert str(ind) == "Wafer diameter"
    events = AuditEvent.objects.filter(action="challenge.indicator_name_translate")
    assert sorted(e.after["name_en"] for e in events) == ["Wafer diameter", "Wafer diameter"]
    assert (
        services.indicator_names_translate(actor=staff, challenge=ch, names={"晶圆直径": "Wafer diameter"})
        == 0
    )


def test_the_contract_page_names_them_in_english(staff, english_client_for):
    contract = ContractFactory()
    ContractIndicator.objects.filter(contract=contract, name="晶圆直径").update(name_en="Wafer diameter")
    client = english_client_for(staff)
    page = client.get(contract.get_absolute_url()).content.decode()
    assert "Wafer diameter" in page


def test_a_project_evaluations_leaves_take_the_english_name(staff):
    from kechuang.evaluation import services as evaluation
    from kechuang.evaluation.tests.test_projects import accept, project_campaign

    contract = ContractFactory(title="碳化硅单晶衬底")
    accept(contract, {"晶圆直径": "8", "微管密度": "0.8"})
    ContractIndicator.objects.filter(contract=contract, name="晶圆直径").update(name_en="Wafer diameter")
    c = project_campaign(staff)
    evaluation.tree_add_default(actor=staff, campaign=c)
    evaluation.contracts_set(actor=staff, campaign=c, contracts=[contract])
    leaves = c.nodes.filter(contract_indicator__isnull=False)
    assert dict(leaves.values_list("name", "name_en")) == {"晶圆直径": "Wafer diameter", "微管密度": ""}
    # named after the leaves were made (a demo loaded before): the leaves without one take it, audited
    ContractIndicator.objects.filter(contract=contract, name="微管密度").update(name_en="Micropipe density")
    assert evaluation.node_names_from_contracts(actor=staff, campaign=c) == 1
    assert dict(leaves.values_list("name", "name_en"))["微管密度"] == "Micropipe density"
    assert AuditEvent.objects.filter(action="campaign.node_translate").count() == 1


def test_the_demo_names_every_indicator_of_its_lists_in_english():
    import re
    from pathlib import Path

    from kechuang.challenges import demo

    text = Path(demo.__file__).read_text(encoding="utf-8")
    named = set(re.findall(r'\{"name": "([^"]+)", "unit"', text)) | {"微管密度"}
    assert named and not named - set(demo.INDICATOR_NAMES_EN)
