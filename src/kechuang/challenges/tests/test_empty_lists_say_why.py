"""An empty list says what would fill it and who acts (people37), not a bare 暂无。: a running project's page
with no mid-term check, change request or result yet; the techmap with no published chain."""

import pytest

from .factories import ContractFactory

pytestmark = pytest.mark.django_db


def test_a_projects_empty_lists_say_what_fills_them(client_for, english_client_for, staff):
    contract = ContractFactory(running=True)
    html = client_for(staff).get(contract.get_absolute_url()).content.decode()
    assert "还没有中期检查：" in html and "没有变更申请：" in html and "还没有登记成果：" in html
    assert "暂无。" not in html
    en = english_client_for(staff).get(contract.get_absolute_url()).content.decode()
    assert "No change requests: the project leader may ask" in en


def test_the_techmap_without_a_published_chain_says_who_publishes(client_for):
    html = client_for(None).get("/techmap/").content.decode()
    assert "还没有公开的产业链：工作人员公开产业链后，列在这里。" in html
