"""The expert's assignments list renders from values computed once per list (issue #19.4): its rows are the
same as the per-row template (get_FOO_display, get_absolute_url per row) rendered them before."""

import re

from django.template import Context, Template
from django.urls import reverse

from kechuang.review import selectors
from kechuang.review.models import Assignment, Review
from kechuang.review.tests.conftest import first_assignment

# The rows of review/my_assignments.html before issue #19 (one gettext cast and one reverse() per row).
OLD_ROWS = Template(
    """{% for a in assignments %}<tr><td>{{ a.round }}{% if a.round.status != 'reviewing' %} <span class="badge">{{ a.round.get_status_display }}</span>{% endif %}</td><td>{% if a.review.status == 'declined' %}{{ a.subject.title }}{% else %}<a href="{{ a.review.get_absolute_url }}">{{ a.subject.title }}</a>{% endif %}</td><td>{{ a.round.due|default:"—" }}</td>
<td><span class="badge {% if a.review.status == 'submitted' %}ok{% elif a.review.status == 'declined' %}bad{% else %}warn{% endif %}">{{ a.review.get_status_display }}</span></td></tr>
{% endfor %}"""
)


def test_my_assignments_rows_match_the_per_row_template(client_for, reviewing_round):
    rnd, _, _ = reviewing_round
    expert = first_assignment(rnd).expert
    mine = list(Assignment.objects.filter(expert=expert, status="active").order_by("pk"))
    assert len(mine) >= 2
    # one declined, one submitted: every branch of the row
    Review.objects.filter(assignment=mine[0]).update(status="declined")
    Review.objects.filter(assignment=mine[1]).update(status="submitted")
    page = client_for(expert).get(reverse("review:my-assignments"))
    assert page.status_code == 200
    body = re.search(r"<tbody>\n(.*)</tbody>", page.content.decode(), re.S).group(1)
    old = OLD_ROWS.render(Context({"assignments": selectors.my_assignments(user=expert)}))
    assert body == old
    assert 'class="badge bad"' in body and 'class="badge ok"' in body and "<a href=" in body
