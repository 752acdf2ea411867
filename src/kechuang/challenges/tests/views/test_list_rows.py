"""The challenge page's applications (staff) render from values computed once per list (issue #19.4): the
same rows as the per-row template (get_absolute_url, get_status_display per row) rendered before."""

import re

import pytest
from django.template import Context, Template

from kechuang.challenges import selectors
from kechuang.challenges.models import Application

from ..factories import ApplicationFactory, ChallengeFactory

pytestmark = pytest.mark.django_db

OLD_ROWS = Template(
    """{% load kechuang %}{% for a in applications %}<tr><td><a href="{{ a.get_absolute_url }}">{{ a.title }}</a></td><td>{{ a.unit }}</td><td>{{ a.leader }}</td><td class="num">{{ a.budget_requested|wan }}</td><td><span class="badge">{{ a.get_status_display }}</span></td><td class="num">{{ a.review_score|default_if_none:"—" }}</td></tr>{% endfor %}"""
)


def test_the_applications_rows_match_the_per_row_template(client, staff):
    ch = ChallengeFactory(closed=True)
    ApplicationFactory(challenge=ch, status=Application.Status.SUBMITTED, title="碳化硅<衬底>")
    ApplicationFactory(challenge=ch, status=Application.Status.FORMAL_PASSED, review_score=87.5)
    ApplicationFactory(challenge=ch, status=Application.Status.DRAFT)  # not shown
    client.force_login(staff)
    body = client.get(f"/challenges/{ch.pk}/").content.decode()
    rows = re.search(r"<h2>揭榜申请</h2>.*?<tbody>(.*?)</tbody>", body, re.S).group(1)
    old = OLD_ROWS.render(
        Context(
            {"applications": selectors.application_list(user=staff, challenge=ch).exclude(status="draft")}
        )
    )
    assert rows == old
    assert rows.count("<tr>") == 2 and "碳化硅&lt;衬底&gt;" in rows and "87.50" in rows and "600 万元" in rows
