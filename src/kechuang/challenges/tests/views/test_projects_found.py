"""The projects list (攻关项目) finds a project by its name, number or unit, keeps the words in the box, and its
empty state says what to do next, by who reads it (found walking the demo: an applicant's empty list said
only 暂无项目)."""

import pytest
from django.urls import reverse

from kechuang.core.roles import Role

from ..factories import ContractFactory

pytestmark = pytest.mark.django_db


def test_a_project_is_found_by_name_number_or_unit(client_for, staff):
    a = ContractFactory(title="碳化硅单晶衬底产业化")
    b = ContractFactory(title="氢燃料电池混合动力机车")
    c = client_for(staff)
    url = reverse("challenges:contract-list")
    for q in ("碳化硅", a.code, a.unit.name):
        body = c.get(url, {"q": q}).content.decode()
        assert a.get_absolute_url() in body and b.get_absolute_url() not in body, q
        assert f'name="q" value="{q}"' in body
    body = c.get(url, {"q": "量子"}).content.decode()
    assert "没有符合条件的项目。" in body and f'href="{url}"' in body


def test_the_empty_list_says_what_comes_next_to_each_reader(client_for, make_user, staff):
    url = reverse("challenges:contract-list")
    assert "榜单立项后" in client_for(staff).get(url).content.decode()
    assert "指定项目专员后" in client_for(make_user(Role.COMMISSIONER)).get(url).content.decode()
    body = client_for(make_user(Role.APPLICANT)).get(url).content.decode()
    assert "揭榜申请立项后" in body and f'href="{reverse("challenges:challenge-list")}"' in body
