"""Application as a kechuang.core.reviewable.Reviewable, and the hand-off to the review app (conflicts)."""

import pytest
from django.urls import reverse

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.reviewable import Person, Reviewable
from kechuang.core.roles import Role

from .factories import ApplicationFactory, ChallengeFactory


@pytest.mark.django_db
def test_review_subject_facts():
    partner = UnitFactory(name="合作单位", city="大同")
    avoid = UnitFactory(name="竞争对手")
    app = ApplicationFactory(
        keywords="碳化硅、单晶，衬底", disciplines="430.25, 460.40", avoid_names="张三、李四"
    )
    app.members.create(name="王工", unit=partner, title="高工")
    app.avoid_units.add(avoid)
    assert isinstance(app, Reviewable)
    s = app.review_subject()
    assert s.title == app.title and app.plan in s.text and app.challenge.title in s.text
    assert s.keywords == ("碳化硅", "单晶", "衬底") and s.disciplines == ("430.25", "460.40")
    assert s.unit_ids == tuple(sorted({app.unit_id, partner.pk}))
    assert s.people == (
        Person(name=str(app.leader), user_id=app.leader_id, unit_id=app.unit_id, role="leader"),
        Person(name="王工", user_id=None, unit_id=partner.pk, role="member"),
    )
    assert s.excluded_unit_ids == (avoid.pk,) and s.excluded_names == ("张三", "李四")
    assert s.city == app.unit.city


@pytest.mark.django_db
def test_expert_from_the_applicant_unit_is_refused_with_the_reason(make_user, client_for):
    from kechuang.challenges import services
    from kechuang.review.models import Assignment
    from kechuang.review.tests.factories import ExpertProfileFactory

    staff = make_user(Role.STAFF)
    ch = ChallengeFactory(closed=True)
    app = ApplicationFactory(challenge=ch, status="formal_passed")
    insider = ExpertProfileFactory(user__unit=app.unit).user
    outsider = ExpertProfileFactory().user
    services.review_round_start(actor=staff, challenge=ch, k=1)
    ch.refresh_from_db()
    c = client_for(staff)
    url = reverse("challenges:challenge-review", args=[ch.pk])
    # refused: the review page again (400), the expert, application and reason kept and why inside the form
    r = c.post(url, {"mode": "assign", "application": app.pk, "expert": insider.pk, "reason": "试试"})
    body = r.content.decode()
    assert r.status_code == 400 and 'id="refused-assign"' in body and "回避" in body
    assert f'<option value="{insider.pk}" selected>' in body and 'value="试试"' in body
    assert not Assignment.objects.filter(expert=insider).exists()
    c.post(url, {"mode": "assign", "application": app.pk, "expert": outsider.pk, "reason": "领域匹配"})
    assert Assignment.objects.filter(expert=outsider, round_id=ch.review_round_id).count() == 1


@pytest.mark.django_db
def test_the_assigned_expert_reads_the_dossier_until_declaring_a_conflict(make_user, client_for):
    from django.core.files.base import ContentFile

    from kechuang.challenges import services
    from kechuang.challenges.models import Attachment
    from kechuang.review import services as review_services
    from kechuang.review.models import Review
    from kechuang.review.tests.factories import ExpertProfileFactory

    staff = make_user(Role.STAFF)
    ch = ChallengeFactory(closed=True)
    app = ApplicationFactory(challenge=ch, status="formal_passed")
    plan = Attachment.objects.create(
        application=app,
        kind="plan",
        file=ContentFile(b"%PDF-1.4 the plan", name="plan.pdf"),
        original_name="技术方案书.pdf",
        content_type="application/pdf",
        size=17,
        sha256="2" * 64,
        uploaded_by=app.leader,
    )
    expert, other = ExpertProfileFactory().user, ExpertProfileFactory().user
    rnd = services.review_round_start(actor=staff, challenge=ch, k=1)
    review_services.assignment_create_manual(
        actor=staff, round=rnd, subject=app, expert=expert, reason="领域匹配"
    )
    review_services.round_transition(actor=staff, round=rnd, action="assign")
    review_services.round_transition(actor=staff, round=rnd, action="start")
    review = Review.objects.get(assignment__expert=expert)
    download = reverse("challenges:attachment-download", args=[plan.pk])

    c = client_for(expert)
    assert c.get(download).status_code == 404  # not before declaring no conflict
    review_services.review_open(actor=expert, review=review)
    page = c.get(review.get_absolute_url()).content.decode()
    assert "技术方案书.pdf" in page and download in page
    got = c.get(download)
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4 the plan"
    assert client_for(other).get(download).status_code == 404  # in the pool, not assigned

    review.refresh_from_db()
    review_services.review_decline(actor=expert, review=review, reason="与申报单位有合作")
    assert c.get(download).status_code == 404  # a declared conflict closes the dossier


def test_removing_an_attachment_is_confirmed_first(client_for):
    """Walked (session 14): one click on 删除 removed an uploaded file of a draft application for good. The
    page now asks first, naming the file; a post without that answer removes nothing."""
    from django.core.files.base import ContentFile

    from kechuang.challenges.models import Attachment

    app = ApplicationFactory()
    att = Attachment.objects.create(
        application=app,
        kind="plan",
        file=ContentFile(b"%PDF-1.4 the plan", name="plan.pdf"),
        original_name="技术方案书.pdf",
        content_type="application/pdf",
        size=17,
    )
    c = client_for(app.leader)
    page = c.get(app.get_absolute_url()).content.decode()
    assert "确认删除“技术方案书.pdf”（删除后不能恢复）" in page and 'name="confirm" value="1"' in page
    url = reverse("challenges:attachment-delete", args=[att.pk])
    # not confirmed: the page again with the question open and why beside the file (400; it was a message
    # after a redirect)
    refused = c.post(url)
    assert refused.status_code == 400 and Attachment.objects.filter(pk=att.pk).exists()
    body = refused.content.decode()
    assert "附件没有删除" in body and f'id="refused-attachment-{att.pk}"' in body
    assert '<details class="inline" open>' in body
    c.post(url, {"confirm": "1"})
    assert not Attachment.objects.filter(pk=att.pk).exists()
