"""People sign in with their e-mail address; axes counts the failures against one account whatever was typed —
the address, its letter cases, the login name (docs/adr/0017)."""

import pytest
from django.core import mail
from rest_framework.test import APIClient

from kechuang.accounts import services
from kechuang.core.roles import Role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_counters")]
PASSWORD = "correct-horse-battery"  # pragma: allowlist secret
VARIANTS = ["wang.min@example.cn", "Wang.Min@Example.CN", " WANG.MIN@EXAMPLE.CN ", "wm_login", "WM_Login"]


@pytest.fixture
def person(make_user):
    return make_user(Role.APPLICANT, username="wm_login", email="wang.min@example.cn")


def _login(client, typed, password, ip="10.9.9.9"):
    return client.post("/accounts/login/", {"username": typed, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.parametrize("typed", VARIANTS)
def test_each_way_of_naming_the_account_signs_in(client, person, typed):
    r = _login(client, typed, PASSWORD)
    assert r.status_code == 302
    assert client.get("/api/me/").json()["email"] == "wang.min@example.cn"


def test_the_page_asks_for_the_e_mail_address(client):
    page = client.get("/accounts/login/").content.decode()
    assert "电子邮箱" in page and "用户名" not in page and 'inputmode="email"' in page
    refused = _login(client, "nobody@example.cn", "wrong-password").content.decode()
    assert "电子邮箱或密码不正确" in refused and 'value="nobody@example.cn"' in refused


@pytest.mark.parametrize("locked_by", VARIANTS)
def test_five_failures_spread_over_the_variants_lock_the_account_under_every_variant(
    client, person, locked_by
):
    others = [v for v in VARIANTS if v != locked_by]
    for typed in others[:4]:  # four failures, each under another spelling
        assert _login(client, typed, "wrong-password").status_code == 200
    assert _login(client, locked_by, "wrong-password").status_code == 429  # the fifth: locked
    for typed in VARIANTS:  # the right password, any spelling, from that address: still locked
        assert _login(client, typed, PASSWORD).status_code == 429, typed
    # the account from another address signs in
    assert _login(client, "wang.min@example.cn", PASSWORD, ip="10.8.8.8").status_code == 302


def test_the_token_endpoint_counts_the_same_account(person):
    api = APIClient(REMOTE_ADDR="10.7.7.7")
    for typed in VARIANTS[:5]:
        wrong = {"username": typed, "password": "nope"}  # pragma: allowlist secret
        assert api.post("/api/auth/token/", wrong).status_code == 400
    r = api.post("/api/auth/token/", {"username": "wang.min@example.cn", "password": PASSWORD})
    assert r.status_code == 400 and "token" not in r.json()
    elsewhere = APIClient(REMOTE_ADDR="10.7.7.8")
    r = elsewhere.post("/api/auth/token/", {"username": "Wang.Min@example.cn", "password": PASSWORD})
    assert r.status_code == 200 and r.json()["token"]


def test_an_unknown_address_is_one_name_in_any_letter_case(client, make_user):
    for typed in ["ghost@example.cn", "Ghost@Example.cn", "GHOST@EXAMPLE.CN", "ghost@example.CN"]:
        assert _login(client, typed, "x-wrong-password").status_code == 200
    assert _login(client, " gHoSt@example.cn", "x-wrong-password").status_code == 429


def test_the_password_change_and_code_pages_count_under_the_same_name(client, person, client_for):
    """The signed-in pages tell axes the account's login name; the sign-in by address meets the same count."""
    c = client_for(person)
    for _ in range(4):
        r = c.post(
            "/accounts/password/change/",
            {
                "old_password": "wrong-one",  # pragma: allowlist secret
                "new_password1": "x-long-new-pass",  # pragma: allowlist secret
                "new_password2": "x-long-new-pass",  # pragma: allowlist secret
            },
            REMOTE_ADDR="10.6.6.6",
        )
        assert r.status_code == 200
    assert _login(client, "WANG.MIN@example.cn", "wrong", ip="10.6.6.6").status_code == 429


def test_a_shared_address_names_no_account(client, make_user):
    from kechuang.accounts.models import User

    a = make_user(Role.APPLICANT, username="twin_a", email="twin@example.cn")
    User.objects.filter(pk=make_user(Role.APPLICANT, username="twin_b").pk).update(
        email="Twin@example.cn",
        email_key="twin@example.cn",  # as migration accounts/0014 keys old rows
    )
    assert _login(client, "twin@example.cn", PASSWORD).status_code == 200  # refused: which one?
    assert _login(client, "twin_a", PASSWORD).status_code == 302  # the login name still does
    assert a.pk


def test_an_address_belongs_to_one_account(make_user, staff):
    from django.core.exceptions import ValidationError

    make_user(Role.APPLICANT, email="taken@example.cn")
    other = make_user(Role.APPLICANT)
    with pytest.raises(ValidationError) as refused:
        services.user_update(actor=staff, user=other, email="TAKEN@example.cn")
    assert "另一个账号" in str(refused.value)
    with pytest.raises(ValidationError):
        services.user_invite(actor=staff, email="Taken@Example.cn", full_name="某人", base_url="http://t/")


def test_the_admin_sign_in_takes_the_address(client, make_user):
    make_user(None, username="adm1", email="adm@example.cn", is_staff=True, is_superuser=True)
    r = client.post("/admin/login/?next=/admin/", {"username": "ADM@example.cn", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/admin/"


def test_no_login_name_in_the_invitation_or_the_profile(
    staff, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_invite(
            actor=staff, email="new.person@example.cn", full_name="新人", base_url="http://testserver/"
        )
    body = mail.outbox[-1].body
    assert user.username not in body.replace("new.person@example.cn", "")
    assert "new.person@example.cn" in body and "登录" in body
    page = client_for(user).get("/accounts/profile/").content.decode()
    assert "new.person@example.cn" in page and "用户名" not in page
    assert f">{user.username}<" not in page


def test_no_login_name_in_the_registration_mail_or_the_verified_notice(
    client, staff, django_capture_on_commit_callbacks
):
    from kechuang.accounts.models import Unit
    from kechuang.core.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        unit, user = services.unit_register(
            unit_fields={"name": "某某研究所", "kind": "institute"},
            full_name="李四",
            email="li.si@example.cn",
            password=PASSWORD,
            base_url="http://testserver/",
        )
    body = mail.outbox[-1].body
    assert "li.si@example.cn" in body and user.username not in body.replace("li.si@example.cn", "")
    # the link in that mail (test_registration_address.py)
    services.registration_address_confirm(user=user, password=PASSWORD)
    services.unit_verify(actor=staff, unit=Unit.objects.get(pk=unit.pk))
    note = Notification.objects.get(recipient=user, kind="accounts.unit_verify")
    assert "电子邮箱" in str(note.body) and user.username not in str(note.body)
    assert _login(client, "LI.SI@example.cn", PASSWORD).status_code == 302
