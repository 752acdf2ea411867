"""Staff's registrations page points a registration kept apart because another unconfirmed registration holds
its unit's names at that registration (docs/security.md §35, §36; people17).

§35 keeps such a post apart for every address, so that the page a registrant gets is the same whoever holds
the names. Staff's page listed it among the kept-apart ones "whose first registration was withdrawn or lapsed",
naming no holder; now its row says which pending registration holds the names, with a link to it on the page,
and that it confirms only once that one is withdrawn or lapses. Only staff's page says so: the registrant's page
and the kept-apart link's refusal name no one (no oracle)."""

import pytest
from django.core import mail
from django.urls import reverse

from kechuang.accounts.models import RegistrationClaim, User
from kechuang.core.roles import Role

from .test_account_enumeration import _form
from .test_registration_address import _link
from .test_registration_pending_name_oracle import FRESH, OWNER, UNIT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_counters")]


def test_staff_see_which_pending_registration_holds_a_kept_apart_ones_names(
    endorser, register, client, client_for, staff, make_user
):
    register(_form(endorser, OWNER, 1) | {"short_name": "晋中传感", "name_en": "Jinzhong Sensing"})
    holder = User.objects.get(email_key=OWNER)
    mail.outbox.clear()
    # a stranger's address registers unit 1's English name: kept apart (§35), the same page as any
    page = register(_form(endorser, FRESH, 2) | {"name_en": "Jinzhong  sensing"})
    claim = RegistrationClaim.objects.get(email_key=FRESH)
    assert OWNER not in page.content.decode()
    (message,) = mail.outbox
    assert OWNER not in message.body and f"registration-{holder.pk}" not in message.body

    listed = client_for(staff).get(reverse("accounts:registration-list")).content.decode()
    row = listed[listed.index(f'id="claim-{claim.pk}"') :].split("</tr>", 1)[0]
    assert f'<a href="#registration-{holder.pk}">{OWNER}</a>' in row
    assert "那次注册撤回或过期前，这次注册不能确认" in row
    assert f'id="registration-{holder.pk}"' in listed  # the link's target, on the same page

    # the kept-apart link's page names no one
    opened = client.get(_link(message)).content.decode()
    assert OWNER not in opened and f"registration-{holder.pk}" not in opened

    # not staff: no page at all
    outsider = make_user(Role.APPLICANT)
    assert client_for(outsider).get(reverse("accounts:registration-list")).status_code in (302, 403)


def test_a_claim_kept_apart_for_its_address_only_points_at_no_one(endorser, register, client_for, staff):
    register(_form(endorser, OWNER, 1))
    register(_form(endorser, OWNER, 2))  # the same address, another unit: kept apart beside it (§28)
    claim = RegistrationClaim.objects.get(email_key=OWNER)
    listed = client_for(staff).get(reverse("accounts:registration-list")).content.decode()
    row = listed[listed.index(f'id="claim-{claim.pk}"') :].split("</tr>", 1)[0]
    assert UNIT + "2" in row and "held-by" not in row
