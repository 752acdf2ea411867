"""Staff's four steps on registrations (resend and withdraw a pending one, resend and void a kept-apart one:
docs/security.md §20, §30) refuse a post without the page's CSRF token, changing and mailing nothing (the
review of session 24, §32: sound)."""

import pytest
from django.core import mail
from django.test import Client

from kechuang.accounts.models import RegistrationClaim, User
from kechuang.core.models import AuditEvent

from .registering import VICTIM, attacker_form
from .test_account_enumeration import _form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_counters")]


def test_no_step_is_taken_without_the_pages_token(staff, endorser, register):
    register(_form(endorser, VICTIM, 1))
    register(attacker_form(endorser))
    mail.outbox.clear()
    person, claim = User.objects.get(email_key=VICTIM), RegistrationClaim.objects.get(email_key=VICTIM)
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(staff)
    before = AuditEvent.objects.count()
    base = "/accounts/users/registrations"
    for url in (
        f"{base}/{person.pk}/resend/",
        f"{base}/{person.pk}/withdraw/",
        f"{base}/claims/{claim.pk}/resend/",
        f"{base}/claims/{claim.pk}/withdraw/",
    ):
        assert forged.post(url, {"confirm": "1", "reason": "x"}).status_code == 403, url
    person.refresh_from_db()
    assert person.email == VICTIM and RegistrationClaim.objects.filter(pk=claim.pk).exists()
    assert AuditEvent.objects.count() == before and not mail.outbox
    # the page's own form carries the token: the same client posting it is heard
    page = forged.get(f"{base}/")
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    r = forged.post(f"{base}/claims/{claim.pk}/withdraw/", {"csrfmiddlewaretoken": token, "reason": "x"})
    assert r.status_code == 400  # not ticked: heard, and refused for that
