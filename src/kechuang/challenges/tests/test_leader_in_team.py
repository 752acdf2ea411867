"""The leader (挂帅人) is listed first on the team already: adding them again as a team member is refused, by
the service and by the form (beside the team field, the input kept), never listed twice."""

import pytest
from django.urls import reverse

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.challenges import services
from kechuang.core.exceptions import ApplicationError

from .factories import ApplicationFactory
from .test_joint import _form_post

pytestmark = pytest.mark.django_db


def _app(name="张挂帅"):
    app = ApplicationFactory()
    app.leader.full_name = name
    app.leader.save()
    return app


@pytest.mark.parametrize(
    "row",
    [
        {"name": "张挂帅"},
        {"name": " 张 挂帅 "},  # spaces typed do not make another person
        {"name": "张挂帅", "unit_id": "lead"},
        {"name": "另写的名字", "user": "leader"},
    ],
)
def test_the_service_refuses_the_leader_as_a_member(row):
    app = _app()
    services.application_team_set(actor=app.leader, application=app, members=[{"name": "王工"}])
    row = dict(row)
    if row.get("unit_id") == "lead":
        row["unit_id"] = app.unit_id
    if row.get("user") == "leader":
        row["user"] = app.leader
    with pytest.raises(ApplicationError) as exc:
        services.application_team_set(actor=app.leader, application=app, members=[{"name": "李工"}, row])
    assert exc.value.code == "member_is_leader" and "张挂帅" in str(exc.value)
    assert "team_text" in exc.value.fields
    assert [m.name for m in app.members.all()] == ["王工"]  # nothing changed


def test_a_namesake_in_a_partner_unit_is_another_person():
    app = _app()
    partner = UnitFactory()
    services.application_partners_set(
        actor=app.leader,
        application=app,
        partners=[{"unit": partner, "role": "participant"}],
        members=[{"name": "张挂帅", "unit_id": partner.pk}],
    )
    assert app.members.get().unit_id == partner.pk


def test_the_form_refuses_the_leader_beside_the_team_field_with_the_input_kept(client_for):
    app = _app()
    c = client_for(app.leader)
    url = reverse("challenges:application-edit", args=[app.pk])
    r = c.post(url, _form_post(app, team=[{"name": "周工", "unit": ""}, {"name": "张挂帅", "unit": ""}]))
    assert r.status_code == 400
    html = r.content.decode()
    assert "是本申请的挂帅人，已列在团队首位" in html
    assert 'value="周工"' in html and 'value="张挂帅"' in html
    assert not app.members.exists()
    r = c.post(url, _form_post(app, team=[{"name": "周工", "unit": ""}]))
    assert r.status_code == 302
    assert [m.name for m in app.members.all()] == ["周工"]
