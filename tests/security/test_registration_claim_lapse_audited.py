"""A kept-apart registration that lapses leaves a trail (docs/security.md §32, the review of session 24).

Every other end of a registration kept apart (§28, §30) is audited — confirmed, outdone (`registration_claim_void`),
voided by staff — and a pending registration's lapse is (`user.registration_withdraw`, the lapse's reason); a
kept-apart one's lapse deleted the row, its address and unit's name with it, silently (`claims_lapse`, at the
next registration). Now each is audited `user.registration_claim_lapse` by the system, before it goes."""

import datetime

import pytest
from django.urls import reverse

from kechuang.accounts.models import RegistrationClaim
from kechuang.core.models import AuditEvent

from .registering import VICTIM, attacker_form
from .test_account_enumeration import _form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_counters")]


def test_a_lapsed_claim_is_audited_when_it_is_deleted(settings, endorser, register, client_for, staff):
    register(_form(endorser, VICTIM, 1))
    register(attacker_form(endorser))
    claim = RegistrationClaim.objects.get(email_key=VICTIM)
    RegistrationClaim.objects.filter(pk=claim.pk).update(
        created_at=claim.created_at - datetime.timedelta(seconds=settings.KECHUANG_INVITATION_TIMEOUT + 1)
    )
    register(_form(endorser, "li.na@example.cn", 3))  # the next registration sweeps lapsed ones
    assert not RegistrationClaim.objects.exists()
    event = AuditEvent.objects.get(action="user.registration_claim_lapse", object_id=str(claim.pk))
    assert event.actor_id is None and event.before["email"] == VICTIM
    assert event.before["unit"] == "晋中智能传感科技有限公司2" and "有效期" in event.reason
    # staff read it in words on the audit log
    page = client_for(staff).get(reverse("core:audit-log"))
    assert page.status_code == 200 and "另行保存的注册过期" in page.content.decode()
