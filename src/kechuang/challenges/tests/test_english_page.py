"""Staff's page for a published challenge's English name and its indicators' English names and units
(challenges:challenge-english, services.challenge_english_set): role- and object-checked, audited,
version-checked, what was typed kept on refusal, the copies made earlier (contracts, project evaluation leaves)
following where they still carry the English as it was; the button missing on a draft says why (usable13)."""

import pytest
from django.urls import reverse

from kechuang.challenges import services
from kechuang.challenges.models import Challenge, ChallengeIndicator, ContractIndicator
from kechuang.core.exceptions import Conflict, PermissionDenied
from kechuang.core.models import AuditEvent

from .factories import ChallengeFactory, ContractFactory

pytestmark = pytest.mark.django_db


def _url(ch):
    return reverse("challenges:challenge-english", args=[ch.pk])


def _post(ch, **typed) -> dict:
    """The page's form as shown, with `typed` over it ({"title_en": …, "name_en_<id>": …})."""
    data = {"title_en": ch.title_en, "version": ch.version}
    for i in ch.indicators.all():
        data[f"name_en_{i.pk}"] = i.name_en
        data[f"unit_en_{i.pk}"] = i.unit_en
    data.update(typed)
    return data


def _inch(ch):
    return ch.indicators.get(name="晶圆直径")


def test_staff_open_it_from_the_challenge_page_in_chinese(client_for, staff):
    ch = ChallengeFactory(status="published", title="碳化硅衬底")
    c = client_for(staff)
    page = c.get(ch.get_absolute_url()).content.decode()
    assert _url(ch) in page and "英文名称与单位" in page
    r = c.get(_url(ch))
    text = r.content.decode()
    assert r.status_code == 200 and "<h1>英文名称与单位</h1>" in text
    inch = _inch(ch)
    assert f'name="name_en_{inch.pk}"' in text and f'name="unit_en_{inch.pk}"' in text
    # the unit's default said beside it (the shared table's), and what follows the save
    assert "留空则显示常用单位的英文“inches”。" in text and 'placeholder="inches"' in text
    assert "以后签订的任务书和项目绩效评价沿用这里的英文。" in text


def test_the_page_in_english(staff, english_client_for):
    ch = ChallengeFactory(status="awarded")
    ContractFactory(application__challenge=ch)
    text = english_client_for(staff).get(_url(ch)).content.decode()
    assert "<h1>English names and units</h1>" in text
    assert "Left blank, the common unit&#x27;s English “inches” is shown." in text
    assert "This list's contracts are signed" in text


def test_saved_audited_and_shown_on_english_pages(client_for, staff, client, english):
    ch = ChallengeFactory(status="published", title="碳化硅衬底")
    inch = _inch(ch)
    c = client_for(staff)
    r = c.post(
        _url(ch),
        _post(ch, title_en=" SiC substrates ", **{f"name_en_{inch.pk}": "Wafer diameter"})
        | {f"unit_en_{inch.pk}": "in"},
    )
    assert r.status_code == 302 and r["Location"] == ch.get_absolute_url()
    ch.refresh_from_db()
    inch.refresh_from_db()
    assert (ch.title_en, inch.name_en, inch.unit_en) == ("SiC substrates", "Wafer diameter", "in")
    assert ch.version == 2  # one step for the whole save
    actions = sorted(
        AuditEvent.objects.filter(actor=staff, action__contains="translate").values_list("action", flat=True)
    )
    assert actions == [
        "challenge.indicator_name_translate",
        "challenge.indicator_unit_translate",
        "challenge.name_translate",
    ]
    en = english(client).get(ch.get_absolute_url()).content.decode()
    assert "<td>Wafer diameter</td><td>in</td>" in en and "<h1>SiC substrates " in en
    # nothing changed: said so, nothing audited, the version kept
    r = c.post(_url(ch), _post(ch), follow=True)
    assert "英文名称和单位没有改动。" in r.content.decode()
    assert (
        Challenge.objects.get(pk=ch.pk).version == 2
        and AuditEvent.objects.filter(actor=staff, action__contains="translate").count() == 3
    )


def test_refused_input_is_kept_and_nothing_is_written(client_for, staff):
    ch = ChallengeFactory(status="published")
    inch = _inch(ch)
    typed = "x" * 81
    r = client_for(staff).post(_url(ch), _post(ch, title_en="SiC substrates") | {f"unit_en_{inch.pk}": typed})
    text = r.content.decode()
    assert r.status_code == 400 and f'value="{typed}"' in text and 'value="SiC substrates"' in text
    assert (
        Challenge.objects.get(pk=ch.pk).title_en == ""
        and ChallengeIndicator.objects.get(pk=inch.pk).unit_en == ""
    )


def test_a_stale_save_is_refused_with_both_values_side_by_side(client_for, staff, make_user):
    from kechuang.core.roles import Role

    ch = ChallengeFactory(status="published")
    read = _post(ch)
    other = make_user(Role.STAFF)
    services.challenge_translate(actor=other, challenge=ch, title_en="Silicon carbide")  # the version steps
    r = client_for(staff).post(_url(ch), read | {"title_en": "SiC substrates"})
    text = r.content.decode()
    assert r.status_code == 400 and "有人先保存了新的内容" in text
    assert "Silicon carbide" in text and 'value="SiC substrates"' in text
    assert Challenge.objects.get(pk=ch.pk).title_en == "Silicon carbide"
    # submitted again knowingly (the form took the stored version): saved
    version = Challenge.objects.get(pk=ch.pk).version
    assert f'name="version" value="{version}"' in text
    r = client_for(staff).post(_url(ch), read | {"title_en": "SiC substrates", "version": version})
    assert r.status_code == 302 and Challenge.objects.get(pk=ch.pk).title_en == "SiC substrates"


def test_only_staff_and_not_on_a_draft(client_for, staff, applicant, commissioner):
    ch = ChallengeFactory(status="published")
    for user in (applicant, commissioner):
        assert client_for(user).get(_url(ch)).status_code == 403
        assert client_for(user).post(_url(ch), _post(ch, title_en="x")).status_code == 403
    assert Challenge.objects.get(pk=ch.pk).title_en == ""
    with pytest.raises(PermissionDenied):
        services.challenge_english_set(
            actor=applicant, challenge=ch, expected_version=ch.version, title_en="x", indicators={}
        )
    draft = ChallengeFactory(status="draft")
    r = client_for(staff).get(_url(draft))
    assert r.status_code == 403 and "草稿的英文名称和单位在“编辑”页与中文一起填写。" in r.content.decode()
    page = client_for(staff).get(draft.get_absolute_url()).content.decode()
    assert _url(draft) not in page and "草稿的英文名称和单位在“编辑”页与中文一起填写。" in page
    # an indicator of another challenge is not touched
    other = ChallengeFactory(status="published")
    services.challenge_english_set(
        actor=staff,
        challenge=ch,
        expected_version=ch.version,
        title_en="",
        indicators={_inch(other).pk: {"name_en": "Hijacked"}},
    )
    assert _inch(other).name_en == ""


def test_an_awarded_challenges_contracts_and_evaluation_leaves_follow(staff):
    from kechuang.evaluation import services as evaluation
    from kechuang.evaluation.tests.test_projects import accept, project_campaign

    contract = ContractFactory(title="碳化硅单晶衬底")
    ch = contract.challenge
    accept(contract, {"晶圆直径": "8", "微管密度": "0.8"})
    campaign = project_campaign(staff)
    evaluation.tree_add_default(actor=staff, campaign=campaign)
    evaluation.contracts_set(actor=staff, campaign=campaign, contracts=[contract])
    leaves = campaign.nodes.filter(contract_indicator__isnull=False)
    # a leaf renamed on the evaluation's own tree keeps its name
    leaves.filter(name="微管密度").update(name_en="Micropipe density (own)")
    ch.refresh_from_db()
    inch, pipe = _inch(ch), ch.indicators.get(name="微管密度")
    services.challenge_english_set(
        actor=staff,
        challenge=ch,
        expected_version=ch.version,
        title_en="",
        indicators={
            inch.pk: {"name_en": "Wafer diameter", "unit_en": "in"},
            pipe.pk: {"name_en": "Micropipe density", "unit_en": "pits per cm²"},
        },
    )
    copies = {i.name: (i.name_en, i.unit_en) for i in ContractIndicator.objects.filter(contract=contract)}
    assert copies == {"晶圆直径": ("Wafer diameter", "in"), "微管密度": ("Micropipe density", "pits per cm²")}
    named = {n.name: (n.name_en, n.params.get("unit_en")) for n in leaves.all()}
    assert named == {
        "晶圆直径": ("Wafer diameter", "in"),
        "微管密度": ("Micropipe density (own)", "pits per cm²"),
    }
    assert AuditEvent.objects.filter(action="campaign.node_translate").count() == 3
    # a contract's copy given its own English is kept when the challenge's changes again
    ContractIndicator.objects.filter(contract=contract, name="晶圆直径").update(unit_en="inch (contract)")
    ch.refresh_from_db()
    services.challenge_english_set(
        actor=staff,
        challenge=ch,
        expected_version=ch.version,
        title_en="",
        indicators={inch.pk: {"unit_en": "inches"}},
    )
    assert ContractIndicator.objects.get(contract=contract, name="晶圆直径").unit_en == "inch (contract)"
    assert _inch(ch).unit_en == "inches"


def test_a_stale_service_call_is_refused_naming_who_saved(staff):
    ch = ChallengeFactory(status="published")
    services.challenge_translate(actor=staff, challenge=ch, title_en="SiC")
    with pytest.raises(Conflict) as refused:
        services.challenge_english_set(
            actor=staff, challenge=ch, expected_version=1, title_en="Other", indicators={}
        )
    assert refused.value.code == "stale" and "SiC" in str(refused.value)
