"""What a newcomer walking the campaign as each role met (session 13, helper walker): links that answered
403/404, amounts as raw decimals, an audit line of flattened rows."""

import datetime
from decimal import Decimal

import pytest

from kechuang.challenges import services
from kechuang.core.roles import Role

from ..factories import ApplicationFactory, ContractFactory, NeedFactory, TopicFactory


@pytest.mark.django_db
def test_a_commissioner_reads_topics_without_buttons_that_refuse_and_is_told_why(make_user, client_for):
    staff = client_for(make_user(Role.STAFF))
    commissioner = client_for(make_user(Role.COMMISSIONER))
    topic = TopicFactory()
    need = NeedFactory(topic=topic, title="碳化硅衬底缺陷控制")

    page = commissioner.get("/challenges/topics/").content.decode()
    assert 'href="/challenges/topics/new/"' not in page and 'href="/challenges/new/"' not in page
    assert 'href="/challenges/needs/group/"' not in page
    assert "由科技厅工作人员办理" in page
    # the need is named, not linked to a page that would answer 404
    page = commissioner.get(topic.get_absolute_url()).content.decode()
    assert "碳化硅衬底缺陷控制" in page and f'href="{need.get_absolute_url()}"' not in page
    assert commissioner.get(need.get_absolute_url()).status_code == 404

    page = staff.get("/challenges/topics/").content.decode()
    assert 'href="/challenges/topics/new/"' in page and "由科技厅工作人员办理" not in page
    assert f'href="{need.get_absolute_url()}"' in staff.get(topic.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_result_offers_register_transfer_only_to_who_may_and_reads_amounts_as_money(make_user, client_for):
    contract = ContractFactory(running=True)
    staff = make_user(Role.STAFF)
    result = services.result_record(
        actor=staff,
        contract=contract,
        kind="product",
        title="8英寸衬底",
        achieved_on=datetime.date(2026, 6, 1),
        is_stage_result=True,  # public while the project runs
    )
    services.transfer_record(
        actor=staff,
        result=result,
        kind="licence",
        counterparty="某半导体企业",
        amount=Decimal("1200"),
        transferred_on=datetime.date(2026, 7, 1),
    )
    button = f'href="/challenges/results/{result.pk}/transfer/"'
    expert = client_for(make_user(Role.EXPERT))
    other_unit = client_for(make_user(Role.APPLICANT))
    for reader in (expert, other_unit):
        page = reader.get(result.get_absolute_url())
        assert page.status_code == 200
        assert button not in page.content.decode()
        assert reader.get(f"/challenges/results/{result.pk}/transfer/").status_code == 403
    for reader in (client_for(contract.leader), client_for(contract.commissioner), client_for(staff)):
        assert button in reader.get(result.get_absolute_url()).content.decode()
    page = client_for(staff).get(result.get_absolute_url()).content.decode()
    assert "1200 万元" in page and "1200.00" not in page


@pytest.mark.django_db
def test_self_raised_funding_reads_as_money_on_the_application_and_the_project(
    make_user, client_for, english
):
    app = ApplicationFactory(budget_self=Decimal("250"))
    contract = ContractFactory(running=True, budget_self=Decimal("250"))
    staff = client_for(make_user(Role.STAFF))
    for url in (app.get_absolute_url(), contract.get_absolute_url()):
        page = staff.get(url).content.decode()
        assert "自筹 250 万元" in page and "自筹 250.00" not in page
    english(staff)
    assert "(self-raised CNY 2.5 million)" in staff.get(app.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_audit_trail_reads_proposed_milestones_as_milestones_not_flattened_rows(make_user, client_for):
    app = ApplicationFactory()
    services.application_milestones_set(
        actor=app.leader,
        application=app,
        milestones=[
            {"title": "样车下线", "month": 8, "tranche": "900"},
            {"title": "线路试验与定型", "month": 36, "tranche": "900"},
        ],
    )
    page = client_for(make_user(Role.STAFF)).get(app.get_absolute_url()).content.decode()
    assert "1, 样车下线, 8" not in page and "1、样车下线、8" not in page
    assert "M1 样车下线（第 8 个月，拨付 900 万元）；M2 线路试验与定型（第 36 个月，拨付 900 万元）" in page


@pytest.mark.django_db
def test_acceptance_names_targets_as_written_and_a_racing_team_merges_only_into_another():
    from kechuang.challenges.forms import AcceptanceForm, DownSelectForm

    contract = ContractFactory(running=True)
    labels = [
        str(f.label)
        for name, f in AcceptanceForm(contract=contract).fields.items()
        if name.startswith("ind_")
    ]
    assert "晶圆直径 实际达到值（目标 8 英寸）" in labels and not any(".0000" in label for label in labels)

    other = ContractFactory(running=True, challenge=contract.challenge)
    form = DownSelectForm(contracts=[contract, other])
    mine = [value for value, _label in form.fields[f"c_{contract.pk}"].choices]
    assert f"merge:{contract.pk}" not in mine and f"merge:{other.pk}" in mine


def test_the_number_of_teams_to_fund_reads_right_for_one_team_in_english():
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("en"):
        assert (
            gettext("本榜单最多 %(n)d 个揭榜方。") % {"n": 1}
            == "Applicants this challenge may fund: at most 1."
        )
        assert "1 applicants" not in gettext(
            "本榜单最多 %(n)s 个揭榜方。未选中的评审中申请将标记为未立项。"
        ) % {"n": 1}
