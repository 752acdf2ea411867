"""The "already decided" page (core.decided, 409) says who decided a step and when, from the audit trail. It
answers only someone who may take that step on that object: a registered result is public, but its trail is
the filer's and staff's (docs/security.md §17)."""

import pytest

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.roles import Role
from kechuang.registry import services
from kechuang.registry.tests.test_registry import FORM, running_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(make_user, staff):
    applicant, unit, _contract, result = running_project(make_user)
    reg = services.registration_create(
        actor=applicant, result=result, units=[unit], people=[applicant], **FORM
    )
    services.registration_transition(actor=applicant, registration=reg, action="submit")
    staff.full_name = "审核员赵六"
    staff.save(update_fields=["full_name"])
    services.registration_transition(actor=staff, registration=reg, action="approve")
    return applicant, reg


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.COMMISSIONER])
def test_another_units_filer_is_not_told_who_registered_a_public_result(
    client_for, make_user, registered, role
):
    applicant, reg = registered
    assert client_for(make_user(None)).get(reg.get_absolute_url()).status_code == 200  # public
    stranger = client_for(make_user(role, unit=UnitFactory(name="别的单位")))
    page = stranger.get(reg.get_absolute_url()).content.decode()
    assert "审核员赵六" not in page  # the trail is not shown to them
    r = stranger.post(f"/registry/results/{reg.pk}/do/submit/", {"reason": "x"})
    body = r.content.decode()
    assert r.status_code == 403 and "审核员赵六" not in body and "此事项已由" not in body


def test_the_filer_hears_that_staff_decided_and_staff_hear_who(client_for, make_user, registered):
    """The page names the decider as the trail beside it does: to the filer a staff member by their unit (or 工作人员),
    never by name, to staff by name."""
    applicant, reg = registered
    r = client_for(applicant).post(f"/registry/results/{reg.pk}/do/submit/")
    body = r.content.decode()
    assert r.status_code == 409 and "此事项已由" in body and "审核员赵六" not in body  # by unit, as the trail
    r = client_for(make_user(Role.STAFF)).post(f"/registry/results/{reg.pk}/do/approve/", {"confirm": "1"})
    assert r.status_code == 409 and "审核员赵六" in r.content.decode()
