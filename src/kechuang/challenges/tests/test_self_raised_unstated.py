"""Self-raised funds nobody stated read as not stated (people38), not as an amount of 0: an application's and a
project's page in both languages; a stated amount as before. Lists with nothing yet say what fills them."""

import pytest

from .factories import ContractFactory

pytestmark = pytest.mark.django_db


def test_self_raised_funds_not_stated_read_so(client_for, english_client_for, staff):
    contract = ContractFactory(running=True, budget_self=0)
    html = client_for(staff).get(contract.get_absolute_url()).content.decode()
    assert "（自筹经费未说明）" in html and "自筹 0" not in html
    en = english_client_for(staff).get(contract.get_absolute_url()).content.decode()
    assert "(self-raised funding not stated)" in en and "self-raised CNY 0" not in en
    application = contract.application
    application.budget_self = 0
    application.save(update_fields=["budget_self"])
    html = client_for(staff).get(application.get_absolute_url()).content.decode()
    assert "（自筹经费未说明）" in html


def test_stated_self_raised_funds_read_as_an_amount(client_for, staff):
    contract = ContractFactory(running=True, budget_self=120)
    html = client_for(staff).get(contract.get_absolute_url()).content.decode()
    assert "自筹 120 万元" in html and "未说明" not in html.split("财政经费")[1][:200]


def test_lists_with_nothing_yet_say_what_fills_them(client_for, english_client_for, staff):
    html = client_for(staff).get("/challenges/needs/").content.decode()
    assert "还没有技术需求：" in html and "暂无需求" not in html
    en = english_client_for(staff).get("/notifications/").content.decode()
    assert "No notifications yet: when something awaits you" in en
