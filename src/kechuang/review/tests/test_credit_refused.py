"""A refused credit record is shown again on the expert's page with what was typed and why."""

import pytest
from django.urls import reverse

from kechuang.review.tests.factories import ExpertProfileFactory


@pytest.mark.django_db
def test_a_refused_credit_record_keeps_the_note_and_says_why(client_for, staff):
    profile = ExpertProfileFactory()
    url = reverse("review:expert-credit", args=[profile.pk])
    r = client_for(staff).post(
        url, {"kind": profile.credits.model.Kind.choices[0][0], "points": "99", "note": "未按时提交评审意见"}
    )
    page = r.content.decode()
    assert r.status_code == 400 and "未按时提交评审意见" in page and 'value="99"' in page
    assert "信用记录填写有误" not in page and "errorlist" in page
    assert not profile.credits.exists()
