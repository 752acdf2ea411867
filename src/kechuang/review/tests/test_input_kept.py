"""Nothing an expert types is lost (issue #13.4). The case of the issue: 提交 with one criterion empty saved a
draft (version +1) while the form kept the old version, so the corrected submit was refused as stale and
everything typed was lost. And a truly stale save shows the expert's values beside the saved ones."""

import re

import pytest
from django.urls import reverse

from kechuang.review import services
from kechuang.review.models import Review

from .conftest import first_assignment

pytestmark = pytest.mark.django_db


def _version(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def _opened(client_for, rnd):
    a = first_assignment(rnd)
    c = client_for(a.expert)
    assert (
        c.post(reverse("review:review-action", args=[a.review.pk, "open"]), {"confirm": "1"}).status_code
        == 302
    )
    return c, Review.objects.get(pk=a.review.pk)


def test_submit_with_a_criterion_empty_keeps_everything_and_the_corrected_submit_goes_through(
    client_for, reviewing_round
):
    rnd, _, _ = reviewing_round
    c, review = _opened(client_for, rnd)
    before = review.version
    typed = {
        "c_tech": "80",
        "recommendation": "support",
        "comments": "方案扎实，团队一项未评",
        "submit": "1",
        "confirm": "1",
    }
    page = c.post(review.get_absolute_url(), {**typed, "version": before})
    assert page.status_code == 400
    html = page.content.decode()
    review.refresh_from_db()
    assert review.status == "opened" and review.version == before + 1  # the draft was saved
    assert "草稿已保存，但未能提交" in html
    assert 'value="80"' in html and "方案扎实，团队一项未评" in html  # nothing typed is lost
    assert _version(html) == str(review.version)  # the form carries the saved draft's version
    # The expert fills the missing criterion and submits the form as shown: accepted, not stale.
    done = c.post(review.get_absolute_url(), {**typed, "c_team": "40", "version": _version(html)})
    assert done.status_code == 302
    review.refresh_from_db()
    assert review.status == "submitted" and float(review.total) == 80.0


def test_the_criterion_left_unscored_is_marked_at_its_box(client_for, reviewing_round):
    """Walked (session 23): the refused submit said only "some criteria are not scored" over the sheet; the
    empty box now says so itself, and the scored one does not."""
    rnd, _, _ = reviewing_round
    c, review = _opened(client_for, rnd)
    typed = {"c_tech": "80", "recommendation": "support", "comments": "意见", "submit": "1", "confirm": "1"}
    page = c.post(review.get_absolute_url(), {**typed, "version": review.version})
    assert page.status_code == 400
    html = page.content.decode()
    assert html.count("此项未打分。") == 1
    team = html[html.index('name="c_team"') - 1500 : html.index('name="c_team"') + 400]
    assert "此项未打分。" in team
    assert (
        'id="id_c_team"' in html and 'aria-invalid="true"' in html[html.index('name="c_team"') - 200 :][:600]
    )


def test_a_stale_save_shows_the_experts_values_beside_the_saved_ones_and_can_be_resubmitted(
    client_for, reviewing_round
):
    rnd, _, _ = reviewing_round
    c, review = _opened(client_for, rnd)
    read = review.version
    # The same expert saved from another tab meanwhile.
    services.review_save(
        actor=review.assignment.expert,
        review=review,
        expected_version=read,
        scores={"tech": 50},
        comments="旧意见",
    )
    page = c.post(
        review.get_absolute_url(),
        {"c_tech": "85", "c_team": "35", "comments": "新意见", "recommendation": "support", "version": read},
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "有人先保存了新的内容" in html
    table = html.split('id="stale-title"')[1].split("</table>")[0]
    assert "新意见" in table and "旧意见" in table and "85" in table and "50" in table
    assert 'value="85"' in html and "新意见" in html  # the form still holds what the expert typed
    review.refresh_from_db()
    assert _version(html) == str(review.version)
    again = c.post(
        review.get_absolute_url(),
        {
            "c_tech": "85",
            "c_team": "35",
            "comments": "新意见",
            "recommendation": "support",
            "version": _version(html),
        },
    )
    assert again.status_code == 302
    review.refresh_from_db()
    assert review.comments == "新意见"


def test_sending_a_review_back_refused_keeps_the_page_and_a_second_click_says_who_did(
    client_for, reviewing_round, staff, make_user
):
    from kechuang.core.roles import Role

    rnd, _, _ = reviewing_round
    c, review = _opened(client_for, rnd)
    expert = review.assignment.expert
    review = services.review_save(
        actor=expert,
        review=review,
        expected_version=review.version,
        scores={"tech": 90, "team": 25},
        comments="方案可行",
        recommendation="support",
    )
    services.review_submit(actor=expert, review=review)
    url = reverse("review:review-action", args=[review.pk, "reopen"])
    s = client_for(staff)
    # no reason: the review's page again, the reason's box marked, 400 (was a message after a redirect)
    r = s.post(url, {"reason": "  "})
    assert r.status_code == 400 and 'aria-invalid="true"' in r.content.decode()
    assert s.post(url, {"reason": "请补充团队评价"}).status_code == 302
    # a second staff member's stale tab: already sent back, by whom, their reason kept to copy
    r = client_for(make_user(Role.STAFF)).post(url, {"reason": "意见过于简略"})
    assert r.status_code == 409
    body = r.content.decode()
    assert "此事项已由" in body and "意见过于简略" in body
    # the expert may not send it back: refused with the reason (403), not the decided page
    assert c.post(url, {"reason": "x"}).status_code == 403


def test_reopening_a_round_refused_keeps_the_page_and_a_second_click_says_who_did(
    client_for, reviewing_round, staff, make_user
):
    from kechuang.core.roles import Role

    rnd, _, _ = reviewing_round
    services.round_transition(actor=staff, round=rnd, action="panel")
    s = client_for(staff)
    url = reverse("review:round-transition", args=[rnd.pk, "reopen"])
    # no reason: the round's page again with why beside the box (400; it was a message after a redirect)
    r = s.post(url, {"reason": " "})
    assert r.status_code == 400
    body = r.content.decode()
    assert 'aria-invalid="true"' in body and 'id="refused-reopen"' in body
    assert s.post(url, {"reason": "补充一位专家"}).status_code == 302
    r = client_for(make_user(Role.STAFF)).post(url, {"reason": "会评前再看一遍"})
    body = r.content.decode()
    assert r.status_code == 409 and "此事项已由" in body and "会评前再看一遍" in body


def test_a_refused_swap_comes_back_with_the_expert_and_the_reason(client_for, small_round, staff):
    from kechuang.review.models import Assignment

    rnd, subjects, experts = small_round
    rnd = services.round_assign(actor=staff, round=rnd)
    old = Assignment.objects.filter(round=rnd, status="active").order_by("pk").first()
    taken = Assignment.objects.filter(subject=old.subject, status="active").exclude(pk=old.pk).first()
    c = client_for(staff)
    url = reverse("review:assignment-swap", args=[old.pk])
    # no expert chosen: the round's page, the reason kept (400; it was a message after a redirect)
    r = c.post(url, {"expert": "", "reason": "专家出差"})
    body = r.content.decode()
    assert r.status_code == 400 and "请选择专家" in body and 'value="专家出差"' in body
    # an expert already on this subject: refused, the choice and the reason kept beside the form
    r = c.post(url, {"expert": str(taken.expert_id), "reason": "专家出差"})
    body = r.content.decode()
    assert r.status_code == 400 and f'<option value="{taken.expert_id}" selected>' in body
    assert f'id="refused-swap-{old.pk}"' in body and 'value="专家出差"' in body


def test_a_submit_without_the_box_ticked_is_refused_keeps_everything_typed_and_changes_nothing(
    client_for, reviewing_round
):
    """A submitted review cannot be changed: 提交 without the ticked box is refused (400) with why beside the
    button, every score and comment as typed, nothing saved and nothing audited; ticked, it goes through."""
    from kechuang.core.models import AuditEvent

    rnd, _, _ = reviewing_round
    c, review = _opened(client_for, rnd)
    page = c.get(review.get_absolute_url()).content.decode()
    assert 'name="confirm" value="1" required' in page and "不能再修改" in page
    before = (review.version, AuditEvent.objects.count())
    typed = {
        "c_tech": "80",
        "c_team": "35",
        "recommendation": "support",
        "comments": "方案扎实，建议支持",
        "opinion": "技术路线清楚",
        "submit": "1",
        "version": review.version,
    }
    r = c.post(review.get_absolute_url(), typed)
    assert r.status_code == 400
    html = r.content.decode()
    assert 'id="refused-submit"' in html and "评审没有提交：请勾选确认" in html
    assert 'value="80"' in html and 'value="35"' in html and "方案扎实，建议支持" in html
    assert re.search(r'<option value="support"[^>]*selected', html)
    review.refresh_from_db()
    assert review.status == "opened" and (review.version, AuditEvent.objects.count()) == before
    assert not review.scores.exists() and review.comments == ""
    done = c.post(review.get_absolute_url(), {**typed, "confirm": "1", "version": _version(html)})
    assert done.status_code == 302
    review.refresh_from_db()
    assert review.status == "submitted" and review.comments == "方案扎实，建议支持"
