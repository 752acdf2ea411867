"""A refused step of an application, a project, a milestone, a change request or a performance evaluation
comes back on its page (400), the reason beside the step and what was typed kept; a step someone already
took (a second click, a stale tab) answers a page saying by whom and when (409), never a message after a
redirect that loses the text."""

import pytest
from django.urls import reverse

from kechuang.challenges.models import Application, ChangeRequest, Contract, Milestone
from kechuang.core.roles import Role

from ..factories import ApplicationFactory, ContractFactory

pytestmark = pytest.mark.django_db


def _decided(r, *texts):
    assert r.status_code == 409, r.status_code
    main = r.content.decode().split("<main", 1)[1]
    assert "此事项已由" in main and all(t in main for t in texts), main


def test_a_milestone_sent_back_without_a_reason_and_twice(client_for, make_user):
    c = ContractFactory()
    Contract.objects.filter(pk=c.pk).update(status="in_progress")
    ms = c.milestones.get(seq=1)
    Milestone.objects.filter(pk=ms.pk).update(status="reported")
    comm = client_for(c.commissioner)
    r = comm.post(ms.get_absolute_url(), {"op": "send_back", "reason": " "})
    assert r.status_code == 400
    body = r.content.decode()
    assert 'id="refused-send_back"' in body and 'aria-invalid="true"' in body
    assert comm.post(ms.get_absolute_url(), {"op": "send_back", "reason": "补充检测报告"}).status_code == 302
    # staff's stale tab verifies it: already sent back, by whom and when, the note kept to copy
    r = client_for(make_user(Role.STAFF)).post(
        ms.get_absolute_url(), {"op": "verify", "reason": "核验无误", "confirm": "1"}
    )
    _decided(r, "核验无误")
    ms.refresh_from_db()
    assert ms.status == "target"


def test_a_milestone_verified_without_the_box_ticked_is_refused_and_changes_nothing(client_for):
    """核验通过 makes the tranche payable and cannot be undone: without the ticked box, the page again (400)
    with why beside the button and the note kept; nothing changed, nothing audited."""
    from kechuang.core.models import AuditEvent

    c = ContractFactory()
    Contract.objects.filter(pk=c.pk).update(status="in_progress")
    ms = c.milestones.get(seq=1)
    Milestone.objects.filter(pk=ms.pk).update(status="reported", tranche=650)
    comm = client_for(c.commissioner)
    page = comm.get(ms.get_absolute_url()).content.decode()
    assert 'name="confirm" value="1" required' in page and "不能撤销" in page
    before = AuditEvent.objects.count()
    r = comm.post(ms.get_absolute_url(), {"op": "verify", "reason": "现场核查无误"})
    assert r.status_code == 400
    body = r.content.decode()
    assert 'id="refused-verify"' in body and "请勾选确认" in body and 'value="现场核查无误"' in body
    ms.refresh_from_db()
    assert ms.status == "reported" and ms.verified_by_id is None
    assert AuditEvent.objects.count() == before
    assert (
        comm.post(
            ms.get_absolute_url(), {"op": "verify", "reason": "现场核查无误", "confirm": "1"}
        ).status_code
        == 302
    )
    ms.refresh_from_db()
    assert ms.status == "verified" and AuditEvent.objects.count() > before


def test_a_change_declined_without_a_reason_and_decided_twice(client_for, make_user):
    c = ContractFactory()
    Contract.objects.filter(pk=c.pk).update(status="in_progress")
    cr = ChangeRequest.objects.create(contract=c, kind="budget", reason="涨价", payload={"budget": "700"})
    s = client_for(make_user(Role.STAFF))
    url = reverse("challenges:change-decide", args=[cr.pk])
    r = s.post(url, {"approve": "0", "note": ""})
    assert r.status_code == 400
    body = r.content.decode()
    assert "不批准须说明理由" in body and f'id="refused-change-{cr.pk}"' in body
    assert s.post(url, {"approve": "0", "note": "预算依据不足"}).status_code == 302
    r = client_for(make_user(Role.STAFF)).post(url, {"approve": "1", "note": "同意调整"})
    _decided(r, "同意调整")
    cr.refresh_from_db()
    assert cr.status == "rejected" and cr.decision_note == "预算依据不足"


def test_a_project_terminated_without_a_reason_comes_back_on_its_page(client_for, make_user):
    c = ContractFactory()
    Contract.objects.filter(pk=c.pk).update(status="in_progress")
    s = client_for(make_user(Role.STAFF))
    url = reverse("challenges:contract-action", args=[c.pk, "terminate"])
    r = s.post(url, {"reason": "", "confirm": "1"})
    assert r.status_code == 400
    assert 'id="refused-terminate"' in r.content.decode()
    # it cannot be undone: the box beside the button, and a reason sent without the tick comes back with it
    page = s.get(c.get_absolute_url()).content.decode()
    assert 'name="confirm"' in page and "终止后项目不能恢复" in page
    r = s.post(url, {"reason": "承担单位申请终止"})
    body = r.content.decode()
    assert r.status_code == 400 and "请勾选确认" in body and 'value="承担单位申请终止"' in body
    assert Contract.objects.get(pk=c.pk).status == "in_progress"
    assert s.post(url, {"reason": "承担单位申请终止", "confirm": "1"}).status_code == 302
    assert Contract.objects.get(pk=c.pk).status == "terminated"
    _decided(client_for(make_user(Role.STAFF)).post(url, {"reason": "重复终止", "confirm": "1"}), "重复终止")


def test_an_application_returned_without_a_reason_keeps_the_page(client_for, make_user):
    app = ApplicationFactory(submitted=True)
    s = client_for(make_user(Role.STAFF))
    url = reverse("challenges:application-action", args=[app.pk, "return"])
    r = s.post(url, {"reason": " "})
    assert r.status_code == 400
    assert 'id="refused-return"' in r.content.decode()
    assert s.post(url, {"reason": "缺少合作协议"}).status_code == 302
    assert Application.objects.get(pk=app.pk).status == "returned"
    _decided(client_for(make_user(Role.STAFF)).post(url, {"reason": "再退一次"}), "再退一次")
    # one who may not take the step is refused (403), not shown who decided
    other = client_for(make_user(Role.APPLICANT))
    assert other.post(url, {"reason": "x"}).status_code in (403, 404)


def test_scores_refused_on_the_review_page_keep_every_score_typed(client_for, make_user):
    from kechuang.challenges.models import Challenge

    app = ApplicationFactory(submitted=True)
    other = ApplicationFactory(submitted=True, challenge=app.challenge)
    Application.objects.filter(pk__in=[app.pk, other.pk]).update(status="under_review")
    Challenge.objects.filter(pk=app.challenge_id).update(status="closed")
    s = client_for(make_user(Role.STAFF))
    url = reverse("challenges:challenge-review", args=[app.challenge_id])
    r = s.post(url, {"mode": "scores", f"score_{app.pk}": "88.5", f"score_{other.pk}": "八十"})
    body = r.content.decode()
    # one score not a number: the page again (400) with both as typed and why in the form (they were lost)
    assert r.status_code == 400 and 'id="refused-scores"' in body and "评审得分必须是数字" in body
    assert 'value="88.5"' in body and 'value="八十"' in body
    assert Application.objects.get(pk=app.pk).review_score is None


def test_a_commissioner_refused_is_said_beside_the_choice(client_for, make_user):
    c = ContractFactory()
    expert = make_user(Role.EXPERT)
    r = client_for(make_user(Role.STAFF)).post(
        reverse("challenges:contract-commissioner", args=[c.pk]), {"commissioner": expert.pk}
    )
    body = r.content.decode()
    # the project's page again (400; it was a message after a redirect), why beside the choice
    assert r.status_code == 400 and 'id="refused-commissioner"' in body and "所选人员不是项目专员" in body
    assert Contract.objects.get(pk=c.pk).commissioner_id == c.commissioner_id


def test_a_list_finished_too_early_says_why_on_its_page(client_for, make_user):
    from kechuang.challenges.tests.factories import ChallengeFactory

    ch = ChallengeFactory(published=True)
    r = client_for(make_user(Role.STAFF)).post(reverse("challenges:challenge-action", args=[ch.pk, "finish"]))
    # the list's page again with why (400; it was a message after a redirect)
    assert r.status_code == 400 and 'class="form-errors"' in r.content.decode()
