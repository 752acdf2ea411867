"""A saved review's audit lines read its scores by the criteria's names, in a few queries per page however
many saves it lists (review.display, core.display.register_payload's prepare)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from kechuang.core import display
from kechuang.core.audit import audit_trail_for
from kechuang.review import services
from kechuang.review.tests.conftest import first_assignment


def _save(review, expert, tech):
    return services.review_save(
        actor=expert, review=review, expected_version=review.version, scores={"tech": tech}
    )


def _queries(review) -> tuple[int, list]:
    events = list(audit_trail_for(review))
    with CaptureQueriesContext(connection) as ctx:
        lines = display.audit_lines(events)
    return len(ctx.captured_queries), lines


def test_the_saves_of_a_review_read_by_criterion_in_queries_that_do_not_grow_with_them(reviewing_round):
    rnd, _subjects, _experts = reviewing_round
    a = first_assignment(rnd)
    review = services.review_open(actor=a.expert, review=a.review)
    review = _save(review, a.expert, 70)
    with translation.override("zh-hans"):
        one, lines = _queries(review)
        for tech in (71, 72, 73, 74):
            review = _save(review, a.expert, tech)
        five, lines = _queries(review)
    assert five == one
    shown = " ".join(str(c.new) for line in lines for c in line.changes)
    assert "74" in shown
    assert any("评分" in str(c.label) for line in lines for c in line.changes)
