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
