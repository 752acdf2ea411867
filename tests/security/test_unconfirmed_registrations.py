"""An unconfirmed registration held its address until staff freed it by hand, with no page for it
(docs/security.md §19, left). Staff now have a page of them (who, unit, when, whether the link was mailed or
lapsed) to mail the link again or withdraw the registration (confirmed, audited, the address freed); and a
registration lapses with its link (KECHUANG_INVITATION_HOURS), so registering the address again works
(docs/security.md §20)."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from kechuang.accounts import services
from kechuang.accounts.models import Unit, User
from kechuang.core.models import AuditEvent

from .test_account_enumeration import PASSWORD, _main
from .test_registration_address import _link, _register, _signs_in

pytestmark = pytest.mark.django_db


def _age(user, hours):
    """The link mailed `hours` ago."""
    User.objects.filter(pk=user.pk).update(
        email_confirm_sent_at=timezone.now() - datetime.timedelta(hours=hours)
    )


def test_staff_see_each_unconfirmed_registration_and_whether_its_link_lapsed(
    client, client_for, staff, endorser, django_capture_on_commit_callbacks
):
    _register(client, endorser, "fresh@example.cn", 1, django_capture_on_commit_callbacks)
    _register(client, endorser, "old@example.cn", 2, django_capture_on_commit_callbacks)
    _age(User.objects.get(email="old@example.cn"), 73)
    page = client_for(staff).get("/accounts/users/registrations/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "fresh@example.cn" in text and "old@example.cn" in text
    assert "晋中智能传感科技有限公司1" in text and "有效至" in text and "已于" in text and "过期" in text
    # a confirmed registrant is no longer listed
    client.post(_link(mail.outbox[0]), {"password": PASSWORD})
    assert "fresh@example.cn" not in client_for(staff).get("/accounts/users/registrations/").content.decode()


def test_only_staff_reach_the_page_and_its_steps(client_for, make_user, endorser):
    from kechuang.core.roles import Role

    registrant = User.objects.create(
        username="r", email="r@example.cn", email_unconfirmed=True, is_active=False
    )
    applicant = make_user(Role.APPLICANT)
    assert client_for(applicant).get("/accounts/users/registrations/").status_code == 403
    r = client_for(applicant).post(
        f"/accounts/users/registrations/{registrant.pk}/withdraw/", {"confirm": "1"}
    )
    assert r.status_code == 403
    registrant.refresh_from_db()
    assert registrant.email == "r@example.cn"


def test_staff_resend_the_link_and_the_lifetime_counts_from_then(
    client, client_for, staff, endorser, django_capture_on_commit_callbacks
):
    _register(client, endorser, "wang.min@example.cn", 1, django_capture_on_commit_callbacks)
    registrant = User.objects.get(email="wang.min@example.cn")
    _age(registrant, 80)
    assert client.get(_link(mail.outbox[0])).status_code == 400  # lapsed: the first link confirms nothing
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        r = client_for(staff).post(f"/accounts/users/registrations/{registrant.pk}/resend/")
    assert r.status_code == 302
    (again,) = mail.outbox
    assert again.to == ["wang.min@example.cn"] and "重新发送" in again.body
    event = AuditEvent.objects.get(action="user.registration_resend")
    assert event.object_id == str(registrant.pk) and event.actor_id == staff.pk
    assert client.post(_link(again), {"password": PASSWORD}).status_code == 200
    registrant.refresh_from_db()
    assert not registrant.email_unconfirmed


def test_withdrawing_asks_first_then_frees_the_address_and_the_unit(
    client, client_for, staff, endorser, django_capture_on_commit_callbacks
):
    _register(client, endorser, "taken@example.cn", 1, django_capture_on_commit_callbacks)
    registrant = User.objects.get(email="taken@example.cn")
    unit = registrant.unit
    url = f"/accounts/users/registrations/{registrant.pk}/withdraw/"
    refused = client_for(staff).post(url, {"reason": "不是本人注册"})
    assert refused.status_code == 400 and "请勾选确认" in refused.content.decode()
    assert 'value="不是本人注册"' in refused.content.decode()  # the reason kept as typed
    registrant.refresh_from_db()
    assert registrant.email == "taken@example.cn"

    done = client_for(staff).post(url, {"reason": "不是本人注册", "confirm": "1"})
    assert done.status_code == 302
    registrant.refresh_from_db()
    unit.refresh_from_db()
    assert registrant.email == "" and not registrant.has_usable_password() and not registrant.is_active
    assert unit.status == Unit.Status.REJECTED and unit.credit_code == "" and not unit.is_active
    assert unit.name == f"晋中智能传感科技有限公司1（注册已撤回·{unit.pk}）"
    event = AuditEvent.objects.get(action="user.registration_withdraw")
    assert event.before == {"email": "taken@example.cn"} and event.reason == "不是本人注册"
    assert AuditEvent.objects.filter(action="unit.reject", object_id=str(unit.pk)).exists()
    # a second click (another tab): by whom and when (409), nothing changed
    again = client_for(staff).post(url, {"reason": "x", "confirm": "1"})
    assert again.status_code == 409
    assert AuditEvent.objects.filter(action="user.registration_withdraw").count() == 1

    # the address and the unit's credit code register again: a new account, a new link
    mail.outbox.clear()
    _register(client, endorser, "taken@example.cn", 1, django_capture_on_commit_callbacks)
    fresh = User.objects.get(email="taken@example.cn")
    assert fresh.pk != registrant.pk and fresh.email_unconfirmed
    assert mail.outbox[0].to == ["taken@example.cn"] and "/accounts/register/confirm/" in mail.outbox[0].body


def test_a_lapsed_registration_frees_its_address_for_a_new_one(
    client, endorser, django_capture_on_commit_callbacks
):
    first = _register(client, endorser, "late@example.cn", 1, django_capture_on_commit_callbacks)
    old = User.objects.get(email="late@example.cn")
    old_link = _link(mail.outbox[0])
    # (within the link's lifetime a registration naming the address replaces it: test_registration_replaced)
    _age(old, 73)  # lapsed: the same registration goes through as new
    mail.outbox.clear()
    again = _register(client, endorser, "late@example.cn", 1, django_capture_on_commit_callbacks)
    name = "晋中智能传感科技有限公司1"
    assert _main(first, "late@example.cn", name) == _main(again, "late@example.cn", name)  # the same page
    (new,) = User.objects.filter(email_key="late@example.cn")
    assert new.pk != old.pk and new.unit.credit_code  # the unit's credit code registered again
    old.refresh_from_db()
    assert old.email == "" and old.unit.status == Unit.Status.REJECTED
    event = AuditEvent.objects.get(action="user.registration_withdraw")
    assert event.actor is None and "有效期" in event.reason
    assert client.post(old_link, {"password": PASSWORD}).status_code == 400
    assert "/accounts/register/confirm/" in mail.outbox[0].body and not _signs_in(client, "late@example.cn")


def test_the_lapse_is_counted_from_the_registration_for_rows_from_before(endorser):
    user = User.objects.create(username="x", email="x@example.cn", email_unconfirmed=True, is_active=False)
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - datetime.timedelta(days=4))
    user.refresh_from_db()
    assert user.email_confirm_sent_at is None and services.registration_lapsed(user)
    assert not services.email_registered("X@example.cn")
