"""Registration and the password reset answer the same for an address that has an account and one that has
not, so neither page tells anyone which addresses are registered (docs/security.md §14). The person behind a
known address learns by e-mail that someone tried to register with it; a new registrant gets an e-mail with
the login name."""

import pytest
from django.core import mail

from kechuang.accounts.models import Unit, User
from kechuang.accounts.tests.factories import UnitFactory, _credit_code
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "Zhineng-chuangan-2026!"  # pragma: allowlist secret


def _form(endorser, email, n):
    return {
        "name": f"晋中智能传感科技有限公司{n}",
        "kind": "enterprise",
        "credit_code": _credit_code(9400 + n),
        "province": "山西",
        "city": "晋中",
        "address": "晋中市榆次区",
        "endorser": endorser.pk,
        "contact_name": "王敏",
        "contact_phone": "0354-1234567",
        "full_name": "王敏",
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
    }


def _main(response, *words) -> str:
    text = response.content.decode()
    text = text[text.index("<main") : text.index("</main>")]
    for word in words:
        text = text.replace(word, "…")
    return text


def test_registration_answers_a_known_address_as_a_new_one_and_tells_the_owner(
    client, make_user, django_capture_on_commit_callbacks
):
    endorser = UnitFactory(name="晋中市科学技术局", kind=Unit.Kind.GOVERNMENT, credit_code="")
    owner = make_user(Role.APPLICANT, email="owner@example.cn", full_name="李娜", language="en")
    users, units = User.objects.count(), Unit.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        new = client.post("/accounts/register/", _form(endorser, "new@example.cn", 1))
    assert new.status_code == 200, new.context["form"].errors
    assert Unit.objects.count() == units + 1 and User.objects.count() == users + 1
    registrant = User.objects.get(email="new@example.cn")
    (welcome,) = mail.outbox
    assert (
        welcome.to == ["new@example.cn"]
        and "new@example.cn" in welcome.body
        and registrant.username not in welcome.body.replace("new@example.cn", "")
    )
    assert "/accounts/login/" in welcome.body
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/accounts/register/", _form(endorser, "Owner@Example.cn", 2))
    assert known.status_code == 200, known.context["form"].errors
    assert Unit.objects.count() == units + 1 and User.objects.count() == users + 1  # nothing made
    # The same page, word for word, but for the address and the unit's name the person typed.
    name = "晋中智能传感科技有限公司"
    assert _main(new, "new@example.cn", name + "1") == _main(known, "owner@example.cn", name + "2")
    assert "已注册" not in known.content.decode() and "owner@example.cn" in known.content.decode()
    (told,) = mail.outbox
    assert told.to == ["owner@example.cn"]
    # in the owner's language, naming the attempt and the ways on (sign in with the address; no login name: docs/adr/0017)
    assert (
        "register" in told.subject.lower()
        and owner.username not in told.body
        and "sign in with this e-mail address" in told.body
    )
    assert "晋中智能传感科技有限公司2" in told.body and "/accounts/password/reset/" in told.body


def test_the_password_reset_answers_the_same_for_a_known_and_an_unknown_address(client, make_user):
    make_user(Role.APPLICANT, email="owner@example.cn")
    known = client.post("/accounts/password/reset/", {"email": "owner@example.cn"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.cn"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert _main(client.get(known["Location"])) == _main(client.get(unknown["Location"]))
    assert [m.to for m in mail.outbox] == [["owner@example.cn"]]
