"""Pages and API end to end: each role refused where it should be (403/404, never 500)."""

import pytest
from django.urls import reverse

from kechuang.review import services
from kechuang.review.models import Assignment, ExpertProfile, Review
from kechuang.review.tests.conftest import first_assignment
from kechuang.review.tests.factories import ExpertProfileFactory


def test_staff_pages_render(staff, client_for, reviewing_round):
    rnd, _, experts = reviewing_round
    c = client_for(staff)
    for url in [
        reverse("review:expert-list"),
        reverse("review:expert-list") + "?status=approved&q=教授",
        reverse("review:expert-import"),
        reverse("review:expert-detail", args=[experts[0].pk]),
        reverse("review:round-list"),
        reverse("review:round-create"),
        rnd.get_absolute_url(),
        reverse("review:round-panel", args=[rnd.pk]),
        first_assignment(rnd).review.get_absolute_url(),
    ]:
        assert c.get(url).status_code == 200, url
    resp = c.get(reverse("review:round-panel", args=[rnd.pk]) + "?format=xlsx")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxml")


def test_staff_only_pages_refuse_others(
    expert, applicant, operator, commissioner, client_for, reviewing_round
):
    rnd, _, experts = reviewing_round
    for user in (expert, applicant, operator, commissioner):
        c = client_for(user)
        for url in [
            reverse("review:expert-list"),
            reverse("review:round-list"),
            rnd.get_absolute_url(),
            reverse("review:round-panel", args=[rnd.pk]),
        ]:
            assert c.get(url).status_code == 403, (user, url)
        assert c.post(reverse("review:round-assign", args=[rnd.pk])).status_code == 403
    assert client_for(None).get(reverse("review:expert-list")).status_code == 302


def test_expert_sees_own_review_only(client_for, reviewing_round):
    rnd, _, _ = reviewing_round
    a = first_assignment(rnd)
    other = Assignment.objects.filter(round=rnd).exclude(expert=a.expert).first()
    c = client_for(a.expert)
    assert c.get(reverse("review:my-assignments")).status_code == 200
    assert c.get(a.review.get_absolute_url()).status_code == 200
    assert c.get(other.review.get_absolute_url()).status_code == 404
    assert (
        c.post(reverse("review:review-action", args=[other.review.pk, "open"]), {"confirm": "1"}).status_code
        == 404
    )
    profile_of_other = other.expert.expert_profile
    assert c.get(reverse("review:expert-detail", args=[profile_of_other.pk])).status_code == 404


def test_expert_scores_through_the_page(client_for, reviewing_round):
    rnd, _, _ = reviewing_round
    a = first_assignment(rnd)
    c = client_for(a.expert)
    resp = c.post(reverse("review:review-action", args=[a.review.pk, "open"]), {"confirm": "1"})
    assert resp.status_code == 302
    review = Review.objects.get(pk=a.review.pk)
    page = c.post(
        review.get_absolute_url(),
        {"c_tech": "150", "c_team": "20", "version": review.version, "recommendation": "support"},
    )
    assert page.status_code == 400 and "errorlist" in page.content.decode()
    resp = c.post(
        review.get_absolute_url(),
        {
            "c_tech": "80",
            "c_team": "40",
            "version": review.version,
            "recommendation": "support",
            "comments": "好",
            "submit": "1",
            "confirm": "1",
        },
    )
    assert resp.status_code == 302
    review.refresh_from_db()
    assert review.status == "submitted" and float(review.total) == 80.0
    # the total as the scores are shown, to the hundredth (walked, session 20: "78.9000", the column's 4 places)
    shown = c.get(review.get_absolute_url()).content.decode()
    assert "80.00</td>" in shown and "80.0000" not in shown


def test_applicant_cannot_see_reviews(applicant, client_for, api_for, reviewing_round):
    rnd, _, _ = reviewing_round
    a = first_assignment(rnd)
    assert client_for(applicant).get(a.review.get_absolute_url()).status_code == 404
    api = api_for(applicant)
    assert api.get(f"/api/review/reviews/{a.review.pk}/").status_code == 403
    assert api.get("/api/review/assignments/").status_code == 403
    assert api.get(f"/api/review/rounds/{rnd.pk}/ranking/").status_code == 403


def test_my_profile_page_creates_and_saves(client_for, expert):
    c = client_for(expert)
    assert c.get(reverse("review:my-profile")).status_code == 200
    assert not ExpertProfile.objects.filter(user=expert).exists()  # reading the page writes nothing
    assert c.post(reverse("review:my-profile"), {"create": "1"}).status_code == 302
    profile = expert.expert_profile
    resp = c.post(
        reverse("review:my-profile"),
        {
            "save": "1",
            "title": "教授",
            "disciplines": "430.25, 43x",
            "keywords": "碳化硅",
            "yearly_cap": 10,
            "version": profile.version,
        },
    )
    assert resp.status_code == 400 and "43x" in resp.content.decode()
    resp = c.post(
        reverse("review:my-profile"),
        {
            "save": "1",
            "title": "教授",
            "disciplines": "430.25",
            "keywords": "碳化硅、单晶",
            "yearly_cap": 10,
            "available": "on",
            "version": profile.version,
        },
    )
    assert resp.status_code == 302
    profile.refresh_from_db()
    assert profile.keywords == ["碳化硅", "单晶"] and profile.version == 2
    from kechuang.accounts.tests.factories import UnitFactory

    unit = UnitFactory(name="中北大学")
    resp = c.post(reverse("review:my-profile"), {"add_collab": "1", "c-name": "王伟", "c-unit": unit.pk})
    assert resp.status_code == 302
    assert profile.collaborators.filter(name="王伟", unit_name="中北大学").exists()


def test_api_expert_scope(api_for, staff, reviewing_round):
    rnd, _, _ = reviewing_round
    a = first_assignment(rnd)
    mine = api_for(a.expert).get("/api/review/assignments/").json()
    ids = {row["id"] for row in mine["results"]}
    assert ids == set(
        Assignment.objects.filter(expert=a.expert, status="active").values_list("pk", flat=True)
    )
    other = Assignment.objects.filter(round=rnd).exclude(expert=a.expert).first()
    assert api_for(a.expert).get(f"/api/review/reviews/{other.review.pk}/").status_code == 404
    assert api_for(a.expert).get("/api/review/experts/").status_code == 403
    assert api_for(a.expert).post(f"/api/review/rounds/{rnd.pk}/assign/").status_code == 403
    assert api_for(staff).get("/api/review/experts/").status_code == 200
    assert api_for(staff).get(f"/api/review/rounds/{rnd.pk}/assignments/").json()["count"] == 8


def test_api_review_flow_and_errors(api_for, reviewing_round):
    rnd, _, _ = reviewing_round
    a = first_assignment(rnd)
    api = api_for(a.expert)
    r = api.post(f"/api/review/reviews/{a.review.pk}/submit/")
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_transition"
    assert (
        api.post(f"/api/review/reviews/{a.review.pk}/open/", {"confirm": True}, format="json").status_code
        == 200
    )
    body = {
        "version": 1,
        "scores": {"tech": "70", "team": "30"},
        "comments": "可",
        "recommendation": "revise",
    }
    r = api.patch(f"/api/review/reviews/{a.review.pk}/", body, format="json")
    assert r.status_code == 200, r.json()
    r = api.patch(f"/api/review/reviews/{a.review.pk}/", body, format="json")
    assert r.status_code == 409 and r.json()["error"]["code"] == "stale"
    r = api.post(f"/api/review/reviews/{a.review.pk}/submit/", {"confirm": True}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    assert api.post(f"/api/review/reviews/{a.review.pk}/reopen/", {"reason": "x"}).status_code == 403


def test_api_manual_assignment_conflict_is_400(api_for, staff, small_round):
    rnd, subjects, experts = small_round
    services.round_assign(actor=staff, round=rnd)
    rs = rnd.subjects.get(object_id=subjects[0].pk)
    r = api_for(staff).post(
        f"/api/review/rounds/{rnd.pk}/assignments/",
        {"confirm": True, "subject": rs.pk, "expert": experts[0].user_id, "reason": "补"},
        format="json",
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "conflict_of_interest"
    assert "回避" in r.json()["error"]["message"]


def test_assign_from_page_runs_as_a_job(staff, client_for, small_round, django_capture_on_commit_callbacks):
    rnd, _, _ = small_round
    with django_capture_on_commit_callbacks(execute=True):
        resp = client_for(staff).post(reverse("review:round-assign", args=[rnd.pk]))
    assert resp.status_code == 302 and "/jobs/" in resp["Location"]
    rnd.refresh_from_db()
    assert rnd.status == "assigned" and rnd.assignments.count() == 8


def test_reassigning_without_the_box_ticked_is_refused_and_changes_nothing(
    staff, client_for, small_round, django_capture_on_commit_callbacks
):
    """重新分配 replaces the experts' assignments: without the ticked box, the round's page again (400) with
    why beside the button; the assignments, the audit trail and the jobs as they were."""
    from kechuang.core.models import AuditEvent, Job

    rnd, _, _ = small_round
    c = client_for(staff)
    with django_capture_on_commit_callbacks(execute=True):
        c.post(reverse("review:round-assign", args=[rnd.pk]))
    rnd.refresh_from_db()
    assert rnd.status == "assigned"
    page = c.get(rnd.get_absolute_url()).content.decode()
    assert "重新分配" in page and 'name="confirm" value="1" required' in page and "不能撤销" in page
    before = (
        set(rnd.assignments.values_list("pk", "expert_id", "status")),
        AuditEvent.objects.count(),
        Job.objects.count(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("review:round-assign", args=[rnd.pk]))
    assert r.status_code == 400
    body = r.content.decode()
    assert 'id="refused-solver"' in body and "请勾选确认" in body
    after = (
        set(rnd.assignments.values_list("pk", "expert_id", "status")),
        AuditEvent.objects.count(),
        Job.objects.count(),
    )
    assert after == before
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("review:round-assign", args=[rnd.pk]), {"confirm": "1"})
    assert r.status_code == 302 and "/jobs/" in r["Location"]
    assert Job.objects.count() == before[2] + 1


def test_staff_approves_a_submitted_profile(staff, client_for):
    p = ExpertProfileFactory(submitted=True)
    resp = client_for(staff).post(reverse("review:expert-transition", args=[p.pk, "approve"]))
    assert resp.status_code == 302
    p.refresh_from_db()
    assert p.status == "approved"
    other = ExpertProfileFactory(submitted=True)
    client_for(p.user).post(reverse("review:expert-transition", args=[other.pk, "approve"]))
    other.refresh_from_db()
    assert other.status == "submitted"


@pytest.mark.django_db
def test_dashboard_tasks(staff, reviewing_round):
    from kechuang.review.dashboard import cards_for, tasks_for

    rnd, _, _ = reviewing_round
    a = first_assignment(rnd)
    assert any("评审" in t.title for t in tasks_for(a.expert))
    assert cards_for(staff) and cards_for(None) == []


def test_api_my_profile_patch_with_version(api_for, expert, applicant):
    profile = ExpertProfileFactory(user=expert)
    api = api_for(expert)
    r = api.patch(
        "/api/review/experts/me/", {"version": profile.version, "keywords": ["量子", "离子阱"]}, format="json"
    )
    assert r.status_code == 200 and r.json()["keywords"] == ["量子", "离子阱"]
    assert r.json()["status"] == "submitted"  # an approved profile edited by its expert goes back to staff
    stale = api.patch("/api/review/experts/me/", {"version": profile.version, "title": "x"}, format="json")
    assert stale.status_code == 409
    assert api_for(applicant).get("/api/review/experts/me/").status_code == 403


def test_a_rounds_input_fingerprint_is_kept_under_technical_details(client_for, staff, reviewing_round):
    """The solver's input digest is provenance: collapsed under 技术信息, with a plain label, never a headline."""
    rnd, _, _ = reviewing_round
    assert rnd.input_hash
    html = client_for(staff).get(f"/review/rounds/{rnd.pk}/").content.decode()
    block = html[html.index('<details class="technical">') :]
    block = block[: block.index("</details>")]
    assert "<dt>分配输入指纹（SHA-256）</dt>" in block and rnd.input_hash in block
    assert html.count(rnd.input_hash) == 1 and "求解输入摘要" not in html
