"""What a newcomer walking the demo saw on the project pages (session 12, helper walker)."""

import pytest

from kechuang.challenges import services
from kechuang.core.roles import Role

from ..factories import ContractFactory


@pytest.mark.django_db
def test_change_request_reads_as_words_not_its_stored_payload(make_user, client_for):
    staff = make_user(Role.STAFF)
    contract = ContractFactory(running=True)
    first = services.change_request_create(
        actor=contract.leader,
        contract=contract,
        kind="dates",
        reason="设备到货延迟",
        payload={"milestones": {"2": "2028-04-08"}},
    )
    services.change_request_decide(actor=staff, change_request=first, approve=False, note="先核实")
    services.change_request_create(
        actor=contract.leader, contract=contract, kind="budget", reason="涨价", payload={"budget": "700"}
    )
    page = client_for(staff).get(contract.get_absolute_url()).content.decode()
    assert "{&#x27;" not in page and "2028-04-08" not in page
    assert "M2 量产 新到期日：2028年4月8日" in page
    assert "调整后经费：700 万元" in page


@pytest.mark.django_db
def test_a_milestone_page_says_what_it_waits_for_when_no_button_shows(client_for):
    contract = ContractFactory(running=True)
    ms = contract.milestones.get(seq=1)
    commissioner = client_for(contract.commissioner)
    page = commissioner.get(ms.get_absolute_url()).content.decode()
    assert "核验通过" not in page and "等待承担单位报告完成情况" in page
    assert "拨付经费" not in page and "本期拨款" in page
    services.milestone_report(actor=contract.leader, milestone=ms, report="完成", values={"晶圆直径": 6})
    page = client_for(contract.leader).get(ms.get_absolute_url()).content.decode()
    assert "报告完成情况</button>" not in page and "已报告，等待专员核验。" in page
    assert "等待承担单位报告完成情况" not in commissioner.get(ms.get_absolute_url()).content.decode()
