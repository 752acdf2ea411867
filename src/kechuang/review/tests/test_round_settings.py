"""A round's assignment settings (mode, the fair mode's levels) changed after it was created: the
settings page and the API's PATCH, both validated in words, refused once reviewing has started, audited,
and used by the next assignment (#21 item 3)."""

import pytest
from django.urls import reverse

from kechuang.core.exceptions import ApplicationError
from kechuang.core.models import AuditEvent
from kechuang.review import services
from kechuang.review.models import Round
from kechuang.review.tests.test_round_fairness import fair_round

pytestmark = pytest.mark.django_db


def settings_url(rnd):
    return reverse("review:round-settings", args=[rnd.pk])


def api_url(rnd):
    return f"/api/review/rounds/{rnd.pk}/"


def test_page_changes_the_depth_and_the_next_assignment_uses_it(staff, client_for, review_form):
    rnd = fair_round(staff, review_form, 1)
    c = client_for(staff)
    detail = c.get(rnd.get_absolute_url()).content.decode()
    assert settings_url(rnd) in detail
    page = c.get(settings_url(rnd)).content.decode()
    assert "公平优先层数" in page and "次低的一项" in page and 'value="1"' in page
    resp = c.post(settings_url(rnd), {"mode": "fair", "leximin_depth": "2"})
    assert resp.status_code == 302
    rnd.refresh_from_db()
    assert rnd.leximin_depth == 2
    event = AuditEvent.objects.for_object(rnd).get(action="round.settings")
    assert event.before["leximin_depth"] == 1 and event.after["leximin_depth"] == 2
    done = services.round_assign(actor=staff, round=rnd)
    assert done.solver_result["parameters"]["leximin_depth"] == 2
    assert len(done.solver_result["stats"]["levels"]) == 2
    # Still editable once assigned (the next assignment uses it); the page shows the value kept.
    assert done.status == Round.Status.ASSIGNED
    assert 'value="2"' in c.get(settings_url(rnd)).content.decode()


@pytest.mark.parametrize(
    ("bad", "words"),
    [("0", "至少为 1"), ("21", "最多为 20"), ("两层", "1 到 20 之间的整数"), ("", "不确定时填 1")],
)
def test_page_refuses_a_depth_out_of_range_in_words_and_keeps_the_input(
    staff, client_for, review_form, bad, words
):
    rnd = fair_round(staff, review_form, 3)
    resp = client_for(staff).post(settings_url(rnd), {"mode": "optimal", "leximin_depth": bad})
    assert resp.status_code == 400
    body = resp.content.decode()
    assert words in body
    assert 'value="optimal" selected' in body  # the refused input is kept
    rnd.refresh_from_db()
    assert (rnd.mode, rnd.leximin_depth) == ("fair", 3)
    assert not AuditEvent.objects.for_object(rnd).filter(action="round.settings").exists()


def test_once_reviewing_the_settings_cannot_change_and_the_pages_say_why(staff, client_for, review_form):
    rnd = services.round_assign(actor=staff, round=fair_round(staff, review_form, 1))
    services.round_transition(actor=staff, round=rnd, action="start")
    c = client_for(staff)
    assert settings_url(rnd) not in c.get(rnd.get_absolute_url()).content.decode()
    assert "评审已开始，分配设置不能再修改" in c.get(rnd.get_absolute_url()).content.decode()
    page = c.get(settings_url(rnd))
    assert page.status_code == 200 and "评审已开始，分配设置不能再修改" in page.content.decode()
    resp = c.post(settings_url(rnd), {"mode": "fair", "leximin_depth": "5"})
    assert resp.status_code == 400 and "评审已开始" in resp.content.decode()
    with pytest.raises(ApplicationError, match="评审已开始"):
        services.round_settings_update(actor=staff, round=rnd, leximin_depth=5)
    rnd.refresh_from_db()
    assert rnd.leximin_depth == 1


def test_other_roles_cannot_change_the_settings(
    staff, expert, applicant, operator, commissioner, client_for, api_for, review_form
):
    rnd = fair_round(staff, review_form, 1)
    for user in (expert, applicant, operator, commissioner):
        assert client_for(user).get(settings_url(rnd)).status_code == 403
        assert (
            client_for(user).post(settings_url(rnd), {"mode": "fair", "leximin_depth": "4"}).status_code
            == 403
        )
        assert api_for(user).patch(api_url(rnd), {"leximin_depth": 4}, format="json").status_code == 403
        with pytest.raises(ApplicationError):
            services.round_settings_update(actor=user, round=rnd, leximin_depth=4)
    assert client_for(None).get(settings_url(rnd)).status_code == 302
    rnd.refresh_from_db()
    assert rnd.leximin_depth == 1


def test_api_reads_and_patches_the_depth_with_validation(staff, api_for, review_form):
    rnd = fair_round(staff, review_form, 1)
    api = api_for(staff)
    assert api.get(api_url(rnd)).json()["leximin_depth"] == 1
    resp = api.patch(api_url(rnd), {"leximin_depth": 4}, format="json")
    assert resp.status_code == 200, resp.json()
    assert resp.json()["leximin_depth"] == 4
    rnd.refresh_from_db()
    assert rnd.leximin_depth == 4
    for bad, words in ((0, "至少为 1"), (21, "最多为 20"), ("两层", "1 到 20 之间的整数")):
        resp = api.patch(api_url(rnd), {"leximin_depth": bad}, format="json")
        assert resp.status_code == 400
        assert words in resp.json()["error"]["fields"]["leximin_depth"][0], resp.json()
    resp = api.patch(api_url(rnd), {"mode": "lottery"}, format="json")
    assert resp.status_code == 400 and "mode" in resp.json()["error"]["fields"]
    rnd.refresh_from_db()
    assert (rnd.mode, rnd.leximin_depth) == ("fair", 4)
    services.round_assign(actor=staff, round=rnd)
    services.round_transition(actor=staff, round=rnd, action="start")
    resp = api.patch(api_url(rnd), {"leximin_depth": 2}, format="json")
    assert resp.status_code == 409 and "评审已开始" in resp.json()["error"]["message"]
