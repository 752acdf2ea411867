"""Session 18's refusal (400) and "already done" (409) pages answer only someone who may see the object and take
the step on it (docs/security.md §18). The nearest case: a partner unit sees a joint application it is named in
but may not submit or withdraw it; a step it posts is refused (403) before the 409 page names who took it, and
nothing of the application is shown to a unit that is neither lead nor partner (404)."""

import pytest

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.challenges.models import ApplicationPartner
from kechuang.challenges.tests.factories import ApplicationFactory
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def joint(make_user):
    app = ApplicationFactory(submitted=True)
    partner_unit = UnitFactory(name="合作单位")
    ApplicationPartner.objects.create(application=app, unit=partner_unit, duty="测试")

    return app, make_user(Role.APPLICANT, unit=partner_unit)


@pytest.mark.parametrize("action", ["submit", "withdraw"])
def test_a_partner_unit_is_refused_before_it_is_told_who_took_the_step(client_for, joint, action):
    app, partner = joint
    c = client_for(partner)
    assert c.get(app.get_absolute_url()).status_code == 200  # it sees the application
    r = c.post(f"/challenges/applications/{app.pk}/do/{action}/", {"reason": "合作方撤回"})
    body = r.content.decode()
    assert r.status_code == 403, r.status_code
    assert "此事项已" not in body and "合作方撤回" not in body


def test_another_unit_hears_nothing_of_the_application(client_for, make_user, joint):
    app, _partner = joint
    stranger = client_for(make_user(Role.APPLICANT, unit=UnitFactory(name="别的单位")))
    for action in ("submit", "withdraw"):
        r = stranger.post(f"/challenges/applications/{app.pk}/do/{action}/", {"reason": "x"})
        assert r.status_code == 404


def test_the_lead_unit_is_told_the_step_was_taken(client_for, joint):
    app, _partner = joint
    r = client_for(app.leader).post(f"/challenges/applications/{app.pk}/do/submit/")
    assert r.status_code == 409 and "此事项已" in r.content.decode()
