"""A unit an expert adds where they choose their past unit (accounts.services.unit_propose: waiting for staff,
no account at it) took the name for good: Unit.name is unique, so the unit itself could no longer register —
anyone with the expert role could squat the name of a unit not yet on the platform. The unit's own
registration now takes such a unit over (its details filled in, still waiting for staff), and the expert's
past unit stays linked to it (docs/security.md §22)."""

import pytest
from django.urls import reverse

from kechuang.accounts.models import RegistrationClaim, Unit, User
from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.models import AuditEvent
from kechuang.review.models import ExpertProfile
from kechuang.review.tests.factories import ExpertProfileFactory

from .test_account_enumeration import _form

pytestmark = pytest.mark.django_db

NAME = "晋中智能传感科技有限公司1"  # the name _form(…, 1) registers


def _propose(client_for, name=NAME):
    profile = ExpertProfileFactory(status=ExpertProfile.Status.DRAFT)
    r = client_for(profile.user).post(
        reverse("review:my-profile"), {"add_unit": "1", "u-unit": name, "u-start": "2015-01-01"}
    )
    assert r.status_code == 302
    return profile, Unit.objects.get(name=name)


def test_a_unit_an_expert_added_does_not_keep_the_unit_from_registering(
    client, client_for, endorser, django_capture_on_commit_callbacks
):
    profile, proposed = _propose(client_for)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/accounts/register/", _form(endorser, "wang.min@example.cn", 1))
    assert r.status_code == 200 and "单位名称相同的单位已存在" not in r.content.decode()
    registrant = User.objects.get(email="wang.min@example.cn")
    # the registration took the added unit over: one unit of that name, its details the registration's
    assert Unit.objects.filter(name=NAME).count() == 1
    unit = Unit.objects.get(name=NAME)
    assert unit.pk == proposed.pk and registrant.unit_id == unit.pk
    assert unit.status == Unit.Status.PENDING and unit.kind == Unit.Kind.ENTERPRISE
    assert unit.endorser == endorser and unit.contact_name == "王敏" and unit.credit_code
    assert profile.past_units.get().unit_id == unit.pk  # the expert's past unit is that unit still
    event = AuditEvent.objects.get(action="unit.register", object_id=str(unit.pk))
    assert event.before["kind"] == Unit.Kind.OTHER and event.after["kind"] == Unit.Kind.ENTERPRISE


def test_only_a_unit_nobody_registered_is_taken_over(
    client, client_for, endorser, django_capture_on_commit_callbacks
):
    # a unit registered by someone (an account at it) keeps its name: the second registration takes nothing —
    # kept apart (its registrant not yet confirmed, §35: the page the same as for any address), no account
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/register/", _form(endorser, "first@example.cn", 1))
    first = User.objects.get(email="first@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            "/accounts/register/", _form(endorser, "second@example.cn", 1) | {"contact_phone": "0354-7654321"}
        )
    assert r.status_code == 200
    assert RegistrationClaim.objects.filter(email_key="second@example.cn").exists()
    assert not User.objects.filter(email="second@example.cn").exists()
    assert User.objects.get(pk=first.pk).unit.contact_phone == "0354-1234567"
    # a verified unit (staff made it, or verified what an expert added) is not taken over either
    UnitFactory(name="太原某研究院", kind=Unit.Kind.INSTITUTE)
    form = _form(endorser, "third@example.cn", 3) | {"name": "太原某研究院"}
    r = client.post("/accounts/register/", form)
    assert "单位名称相同的单位已存在" in r.content.decode()
    assert not User.objects.filter(email="third@example.cn").exists()


def test_a_unit_registered_meanwhile_is_not_taken_over_twice(client_for, endorser):
    """Two registrations of an added unit's name at once: the second, holding the unit found before the first
    committed, is refused for the name (the unit is locked and looked at again), nothing of it made."""
    from django.core.exceptions import ValidationError

    from kechuang.accounts import services

    _, proposed = _propose(client_for)
    fields = {
        "name": NAME,
        "kind": Unit.Kind.INSTITUTE,
        "endorser": endorser,
        "contact_name": "李",
        "city": "",
    }
    services.unit_register(
        unit_fields=fields, full_name="甲", email="a@example.cn", password="x", unit=proposed
    )
    with pytest.raises(ValidationError):
        services.unit_register(
            unit_fields=fields, full_name="乙", email="b@example.cn", password="x", unit=proposed
        )
    assert list(User.objects.filter(unit=proposed).values_list("email", flat=True)) == ["a@example.cn"]
    assert not User.objects.filter(email="b@example.cn").exists()
