"""An expert deciding whether they may review an item (session 13, helper walker): the page names the item's
units and team (what a conflict is about, and whose ability the expert scores); declaring a conflict is
final, so it asks for a confirmation, and a refused declaration keeps the reason typed (400)."""

import pytest
from django.urls import reverse

from kechuang.review.models import Review

from .conftest import first_assignment

pytestmark = pytest.mark.django_db


def test_the_review_page_names_the_units_and_team_before_and_after_the_declaration(
    client_for, reviewing_round
):
    rnd, _, _ = reviewing_round
    a = first_assignment(rnd)
    subject = a.subject.subject
    c = client_for(a.expert)
    page = c.get(a.review.get_absolute_url()).content.decode()
    assert "利益冲突声明" in page
    assert f"<dd>{subject.unit.name}</dd>" in page and f"{subject.leader_name}（负责人）" in page
    c.post(reverse("review:review-action", args=[a.review.pk, "open"]), {"confirm": "1"})
    page = c.get(a.review.get_absolute_url()).content.decode()
    assert f"<dd>{subject.unit.name}</dd>" in page and f"{subject.leader_name}（负责人）" in page


def test_declaring_a_conflict_asks_for_a_confirmation_and_keeps_the_reason_when_refused(
    client_for, reviewing_round
):
    rnd, _, _ = reviewing_round
    a = first_assignment(rnd)
    c = client_for(a.expert)
    url = reverse("review:review-action", args=[a.review.pk, "decline"])
    refused = c.post(url, {"reason": "曾与该单位合作研发碳化硅外延设备"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "曾与该单位合作研发碳化硅外延设备" in html and "请勾选确认后再声明回避。" in html
    assert Review.objects.get(pk=a.review.pk).status == "pending"
    assert c.post(url, {"reason": "", "confirm": "1"}).status_code == 400
    assert Review.objects.get(pk=a.review.pk).status == "pending"
    done = c.post(url, {"reason": "曾与该单位合作研发碳化硅外延设备", "confirm": "1"})
    assert done.status_code == 302
    assert Review.objects.get(pk=a.review.pk).status == "declined"
