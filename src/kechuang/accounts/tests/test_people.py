"""Staff manage people in the web UI: invite by e-mail, roles and unit, deactivation; each change audited."""

import re

import pytest
from django.core import mail

from kechuang.accounts.models import User
from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role, roles_of

pytestmark = pytest.mark.django_db


def test_staff_invite_by_email_and_the_link_sets_a_password(
    staff, client_for, client, django_capture_on_commit_callbacks
):
    unit = UnitFactory(name="山西示范大学", kind="university", credit_code="")
    c = client_for(staff)
    assert c.get("/accounts/users/invite/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(
            "/accounts/users/invite/",
            {
                "email": "New.Person@Example.org",
                "full_name": "新同事",
                "roles": ["expert", "applicant"],
                "unit": unit.name,
            },
        )
    assert r.status_code == 302, r.content.decode()[:2000]
    person = User.objects.get(email="new.person@example.org")
    assert person.username == "new.person" and person.unit == unit and not person.has_usable_password()
    assert roles_of(person) == {"expert", "applicant"}
    assert AuditEvent.objects.filter(action="user.invite", object_id=str(person.pk)).exists()
    assert AuditEvent.objects.filter(action="user.create", object_id=str(person.pk), actor=staff).exists()
    (message,) = mail.outbox
    assert "new.person" in message.body
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", message.body).group(0)
    path = link.split("testserver", 1)[1]
    page = client.get(path, follow=True)
    assert page.status_code == 200 and "new_password1" in page.content.decode()
    done = client.post(
        page.redirect_chain[-1][0], {"new_password1": "a-good-long-pass", "new_password2": "a-good-long-pass"}
    )
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.check_password("a-good-long-pass")
    # The link worked once.
    again = client.get(path, follow=True)
    assert "new_password1" not in again.content.decode()


def test_invite_form_refused_keeps_the_input_with_the_reason(staff, client_for, make_user):
    make_user(Role.EXPERT, email="taken@example.org")
    r = client_for(staff).post(
        "/accounts/users/invite/", {"email": "taken@example.org", "full_name": "重名", "unit": "没有这个单位"}
    )
    body = r.content.decode()
    assert r.status_code == 400 and "已有用户使用此电子邮箱" in body and "没有找到" in body
    assert 'value="重名"' in body and 'value="taken@example.org"' in body


def test_staff_change_roles_and_unit_audited(staff, client_for, make_user):
    person = make_user(Role.EXPERT)
    unit = UnitFactory(name="新单位甲")
    c = client_for(staff)
    assert c.get(f"/accounts/users/{person.pk}/").status_code == 200
    r = c.post(
        f"/accounts/users/{person.pk}/",
        {
            "full_name": person.full_name,
            "email": person.email,
            "roles": ["commissioner"],
            "unit": unit.name,
            "reason": "调岗",
        },
    )
    assert r.status_code == 302
    person.refresh_from_db()
    assert person.unit == unit and roles_of(person) == {"commissioner"}
    event = AuditEvent.objects.get(action="user.update", object_id=str(person.pk))
    assert event.before["roles"] == ["expert"] and event.after["roles"] == ["commissioner"]
    assert event.after["unit_id"] == unit.pk and event.reason == "调岗"


def test_deactivate_and_reactivate(staff, client_for, make_user):
    person = make_user(Role.APPLICANT)
    their = client_for(person)
    assert their.get("/accounts/profile/").status_code == 200
    c = client_for(staff)
    url = f"/accounts/users/{person.pk}/active/"
    # the tokens go for good: not without the box ticked; the page again with the reason kept (400)
    r = c.post(url, {"active": "0", "reason": "离职"})
    body = r.content.decode()
    assert r.status_code == 400 and 'id="refused-active"' in body and 'value="离职"' in body
    person.refresh_from_db()
    assert person.is_active
    assert c.post(url, {"active": "0", "reason": "离职", "confirm": "1"}).status_code == 302
    person.refresh_from_db()
    assert not person.is_active
    # a second staff member's stale tab: already deactivated, by whom and when, their reason kept (409)
    r = client_for(make_user(Role.STAFF)).post(url, {"active": "0", "reason": "合同到期", "confirm": "1"})
    assert r.status_code == 409
    main = r.content.decode().split("<main", 1)[1]
    assert "此事项已由" in main and "此账号现已停用" in main and "合同到期" in main
    assert their.get("/accounts/profile/").status_code == 302  # the open session no longer works
    assert AuditEvent.objects.filter(
        action="user.deactivate", object_id=str(person.pk), reason="离职"
    ).exists()
    c.post(f"/accounts/users/{person.pk}/active/", {"active": "1"})
    person.refresh_from_db()
    assert person.is_active
    # Staff cannot deactivate themselves: said on the page (400; it was a message after a redirect)
    r = c.post(f"/accounts/users/{staff.pk}/active/", {"active": "0", "confirm": "1"})
    assert r.status_code == 400 and 'id="refused-active"' in r.content.decode()
    staff.refresh_from_db()
    assert staff.is_active


def test_a_second_factor_reset_not_confirmed_stays_on_the_page_and_twice_says_who_did(
    staff, client_for, make_user
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    other = make_user(Role.EXPERT)
    TOTPDevice.objects.create(user=other, name="TOTP", confirmed=True)
    url = f"/accounts/users/{other.pk}/2fa-reset/"
    c = client_for(staff)
    r = c.post(url)
    body = r.content.decode()
    assert r.status_code == 400 and 'id="refused-otp"' in body and "<details open>" in body
    assert TOTPDevice.objects.filter(user=other).exists()
    assert c.post(url, {"confirm": "1"}).status_code == 302
    r = client_for(make_user(Role.STAFF)).post(url, {"confirm": "1"})
    assert r.status_code == 409 and "此人现在没有启用双因素认证" in r.content.decode()


def test_people_pages_are_staff_only(make_user, client_for):
    person = make_user(Role.APPLICANT)
    c = client_for(make_user(Role.COMMISSIONER))
    assert c.get("/accounts/users/").status_code == 403
    assert c.post("/accounts/users/invite/", {"email": "x@example.org", "full_name": "x"}).status_code == 403
    assert c.post(f"/accounts/users/{person.pk}/active/", {"active": "0"}).status_code == 403
    person.refresh_from_db()
    assert person.is_active and not User.objects.filter(email="x@example.org").exists()


def test_user_list_filters(staff, client_for, make_user):
    make_user(Role.EXPERT, full_name="甲专家")
    body = client_for(staff).get("/accounts/users/?q=甲专家&role=expert").content.decode()
    assert "甲专家" in body and "评审专家" in body


def test_a_service_refusal_of_the_address_stands_beside_the_field(staff, client_for, make_user, monkeypatch):
    """An address another account has, refused by the model (User.clean: another path got there first, or
    the form's check was passed by a letter-case trick it missed) is said beside the e-mail, 400, input kept."""
    from kechuang.accounts import forms

    make_user(Role.EXPERT, email="first@example.org")
    monkeypatch.setattr(forms.UserInviteForm, "clean_email", lambda self: self.cleaned_data["email"])
    r = client_for(staff).post(
        "/accounts/users/invite/", {"email": "First@Example.org", "full_name": "后来者"}
    )
    body = r.content.decode()
    assert r.status_code == 400 and "另一个账号" in body and 'value="后来者"' in body
    errors = r.context["form"].errors
    assert "email" in errors and "__all__" not in errors
