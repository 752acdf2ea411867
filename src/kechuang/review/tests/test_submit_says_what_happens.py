"""An expert's 提交审核 says what it does before its button: an approved profile goes back to waiting for
review and gets no new reviews until approved again (the assignment pool takes approved profiles only); a
draft is reviewed before any is assigned. Found walking the demo as expert1 (/review/profile/)."""

import pytest
from django.urls import reverse

from kechuang.review.tests.factories import ExpertProfileFactory

pytestmark = pytest.mark.django_db


def _before_submit(html: str) -> str:
    end = html.index(">提交审核</button>")
    return html[html.rindex("<form", 0, end) : end]


def test_submit_says_an_approved_profile_leaves_the_pool_until_approved_again(client_for, staff):
    approved = ExpertProfileFactory()
    own = client_for(approved.user).get(reverse("review:my-profile")).content.decode()
    assert "审核通过前，不会被分配新的评审" in _before_submit(own)
    page = client_for(staff).get(reverse("review:expert-detail", args=[approved.pk])).content.decode()
    assert "审核通过前，不会被分配新的评审" in _before_submit(page)
    draft = ExpertProfileFactory(draft=True)
    own = client_for(draft.user).get(reverse("review:my-profile")).content.decode()
    assert "审核通过后，才会被分配评审" in _before_submit(own)
