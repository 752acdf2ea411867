"""An address matches in any letter case of any script, on SQLite as on PostgreSQL (docs/security.md §19):
SQLite's case-blind match (LIKE, lower()) folds ASCII only, so `Élodie@…` typed as `élodie@…` signed no one in,
passed the one-account-per-address rule as a new address, and registered a second account on it. Matches now
compare `User.email_key`, the address folded in Python (`fold_email`)."""

import pytest
from django.core.exceptions import ValidationError

from kechuang.accounts.backends import account_for
from kechuang.accounts.models import User, fold_email
from kechuang.accounts.services import email_registered
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # pragma: allowlist secret


def test_the_key_is_kept_by_every_save(make_user):
    user = make_user(Role.APPLICANT, email="ÉLODIE.Dupré@Example.fr")
    assert User.objects.get(pk=user.pk).email_key == "élodie.dupré@example.fr"
    user.email = "Ölçer@Example.TR"
    user.save(update_fields=["email"])
    assert User.objects.get(pk=user.pk).email_key == "ölçer@example.tr"
    assert fold_email(" ｊess@Example.cn ") == "jess@example.cn" and fold_email("JEß@x.cn") != fold_email(
        "jess@x.cn"
    )


def test_signing_in_with_another_case_of_a_non_ascii_address(client, make_user):
    user = make_user(Role.APPLICANT, email="Élodie@example.fr")
    assert account_for("élodie@EXAMPLE.fr") == user
    r = client.post("/accounts/login/", {"username": "ÉLODIE@example.fr", "password": PASSWORD})
    assert r.status_code == 302


def test_the_same_address_in_another_case_is_taken(make_user):
    make_user(Role.APPLICANT, email="Ярослав@example.ru")
    assert email_registered("ярослав@example.ru")
    other = User(username="another", email="ЯРОСЛАВ@example.ru")
    with pytest.raises(ValidationError):
        other.clean()
