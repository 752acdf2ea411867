"""Accounts that share an e-mail address (made before one address was one account's, docs/adr/0017) sign in by
neither: a database check warns and staff get a page listing them to resolve by hand; nothing is merged
(docs/security.md §19)."""

import pytest
from django.core.checks import run_checks
from django.urls import reverse

from kechuang.accounts.checks import DUPLICATE_EMAILS
from kechuang.accounts.models import User
from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db


def _duplicate(make_user):
    """Two accounts on one address in two letter cases (non-ASCII: the key folds any script), as old data has
    them: written past `User.clean`, which now refuses the second."""
    first = make_user(Role.APPLICANT, username="zhang_old", full_name="张伟", email="Zhāng.Wei@example.cn")
    second = make_user(
        Role.EXPERT,
        username="zhang_new",
        full_name="张伟",
        email="zhāng.wei@example.cn",
        unit=UnitFactory(name="某研究院"),
    )
    return first, second


def _warnings():
    return [m for m in run_checks(databases=["default"]) if m.id == DUPLICATE_EMAILS]


def test_the_check_warns_only_when_an_address_is_shared(make_user):
    make_user(Role.APPLICANT, email="alone@example.cn")
    assert _warnings() == []
    _duplicate(make_user)
    (warning,) = _warnings()
    assert "1 e-mail address" in warning.msg and "2 accounts" in warning.msg
    assert "/accounts/users/duplicates/" in warning.hint
    assert not [m for m in run_checks() if m.id == DUPLICATE_EMAILS]  # plain `check` reads no users


def test_staff_see_each_shared_address_with_its_accounts_to_resolve(make_user, client_for, staff):
    first, second = _duplicate(make_user)
    make_user(Role.APPLICANT, full_name="李娜", email="li.na@example.cn")
    page = client_for(staff).get(reverse("accounts:user-duplicates"))
    assert page.status_code == 200
    text = page.content.decode()
    main = text[text.index("<main") : text.index("</main>")]
    assert main.count("<section") == 1 and "李娜" not in main
    for user in (first, second):
        assert reverse("accounts:user-detail", args=[user.pk]) in main and user.username not in main
    assert "某研究院" in main
    assert User.objects.filter(pk__in=[first.pk, second.pk]).count() == 2  # nothing merged
    assert (
        reverse("accounts:user-duplicates")
        in client_for(staff).get(reverse("accounts:user-list")).content.decode()
    )


def test_nobody_else_sees_the_page(make_user, client_for):
    applicant = make_user(Role.APPLICANT)
    assert client_for(applicant).get(reverse("accounts:user-duplicates")).status_code == 403
