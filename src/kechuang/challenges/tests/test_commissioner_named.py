"""The project page names its commissioner beside the picker that changes them (walked, session 34, people35:
the name, then a list preselected on the same name and a button "指定" — which one is the project's now, and
does the button assign or change?)."""

import pytest

from kechuang.accounts.tests.factories import UserFactory
from kechuang.core.roles import Role

from .factories import ContractFactory

pytestmark = pytest.mark.django_db


def test_the_current_commissioner_is_named_and_the_picker_says_it_changes_them(
    make_user, client_for, english
):
    c = ContractFactory(running=True, commissioner__full_name="李专员")
    UserFactory(roles=[Role.COMMISSIONER], full_name="赵专员")
    client = client_for(make_user(Role.STAFF))
    page = client.get(c.get_absolute_url()).content.decode()
    assert "<strong>李专员</strong>" in page
    assert '<label for="comm">改由</label>' in page
    assert "李专员（当前）</option>" in page and "赵专员</option>" in page
    assert "更换专员</button>" in page
    english(client)
    page = client.get(c.get_absolute_url()).content.decode()
    assert '<label for="comm">Change to</label>' in page
    assert "李专员 (current)</option>" in page and "Change commissioner</button>" in page


def test_a_project_without_a_commissioner_says_so_and_the_button_assigns(make_user, client_for, english):
    c = ContractFactory(commissioner=None)
    client = client_for(make_user(Role.STAFF))
    page = client.get(c.get_absolute_url()).content.decode()
    assert "尚未指定" in page and '<label for="comm">指定为</label>' in page and "（当前）" not in page
    english(client)
    page = client.get(c.get_absolute_url()).content.decode()
    assert "Not yet assigned" in page and "Assign</button>" in page
