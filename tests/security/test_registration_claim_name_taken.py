"""A kept-apart registration confirmed after another unit took its name (docs/security.md §33).

A registration kept apart (§28) holds no unit: its name and credit code stay free for any other registration
until its link is pressed. Pressed once another unit holds either, the unit cannot be made: the page said only
Django's words for the field (具有 单位名称 的 单位 已存在) under the password box, as if the password were
wrong, and not what to do. Now it says that the name (or the credit code) is another unit's now, that nothing
was made, and to register again; nothing changes (400), the holder of the address untouched."""

import pytest
from django.core import mail

from kechuang.accounts.models import RegistrationClaim, User

from .registering import ATTACKER_PASSWORD, VICTIM, attacker_form
from .test_account_enumeration import _form
from .test_registration_address import _link

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_counters")]

UNIT = "晋中智能传感科技有限公司"


@pytest.mark.parametrize("field", ["name", "credit_code"])
def test_a_kept_apart_registration_whose_unit_name_was_taken_meanwhile_says_so(
    client, staff, endorser, register, field
):
    from kechuang.accounts import services

    register(_form(endorser, VICTIM, 1))
    register(attacker_form(endorser, 2))  # kept apart beside V's: no unit made
    (_own, kept) = (_link(m) for m in mail.outbox)
    taken = _form(endorser, "other@example.cn", 3) | {field: attacker_form(endorser, 2)[field]}
    fields = {k: taken[k] for k in ("name", "kind", "credit_code", "province", "city")}
    services.unit_create(actor=staff, **fields)  # staff made a unit with the name or code meanwhile
    r = client.post(kept, {"password": ATTACKER_PASSWORD})
    text = r.content.decode()
    assert r.status_code == 400, text
    assert "已是另一个单位的" in text and "重新提交注册" in text, text
    assert RegistrationClaim.objects.filter(email_key=VICTIM).count() == 1
    (holder,) = User.objects.filter(email_key=VICTIM)
    assert holder.unit.name == UNIT + "1" and holder.email_unconfirmed


@pytest.mark.parametrize("field", ["name", "credit_code"])
def test_a_kept_apart_registration_whose_unit_another_registration_holds_says_wait(
    client, endorser, register, field
):
    """Taken by another address's registration, not yet confirmed (§35): that one may still be withdrawn or
    lapse, so the link is kept and the page says to confirm once it is gone."""
    register(_form(endorser, VICTIM, 1))
    register(attacker_form(endorser, 2))  # kept apart beside V's: no unit made
    (_own, kept) = (_link(m) for m in mail.outbox)
    register(_form(endorser, "other@example.cn", 3) | {field: attacker_form(endorser, 2)[field]})
    r = client.post(kept, {"password": ATTACKER_PASSWORD})
    text = r.content.decode()
    assert r.status_code == 400, text
    assert "仍由另一次尚未确认电子邮箱的注册使用" in text and "此链接仍可使用" in text, text
    assert RegistrationClaim.objects.filter(email_key=VICTIM).count() == 1
    (holder,) = User.objects.filter(email_key=VICTIM)
    assert holder.unit.name == UNIT + "1" and holder.email_unconfirmed
