"""Review's machines over plain values: the guards read the object's fields and the facts in `ctx`."""

from types import SimpleNamespace

import pytest

from kechuang.core.exceptions import InvalidTransition
from kechuang.review import workflow as wf


def _review(**kw):
    return SimpleNamespace(
        declared_no_conflict_at=kw.get("declared", "2026-01-01"),
        recommendation=kw.get("recommendation", "support"),
        comments=kw.get("comments", "意见"),
    )


def test_round_starts_only_with_an_active_assignment():
    rnd = SimpleNamespace()
    with pytest.raises(InvalidTransition, match="还没有分配专家"):
        wf.ROUND.check("assigned", "start", ["staff"], obj=rnd, ctx={"has_active_assignments": False})
    assert wf.ROUND.check("assigned", "start", ["staff"], obj=rnd, ctx={"has_active_assignments": True})
    # no facts given: refused, not allowed by default
    assert wf.ROUND.reasons_refused("assigned", "start", ["staff"], obj=rnd, ctx={})


def test_review_open_and_submit_read_the_round_status_and_unscored_count():
    open_ctx = {"round_status": "reviewing", "unscored": 0}
    assert wf.REVIEW.check("pending", "open", ["expert"], obj=_review(), ctx=open_ctx).target == "opened"
    with pytest.raises(InvalidTransition, match="尚未开始或已经结束"):
        wf.REVIEW.check(
            "pending", "open", ["expert"], obj=_review(), ctx={**open_ctx, "round_status": "panel"}
        )
    with pytest.raises(InvalidTransition, match="声明"):
        wf.REVIEW.check("pending", "open", ["expert"], obj=_review(declared=None), ctx=open_ctx)
    with pytest.raises(InvalidTransition, match="未打分"):
        wf.REVIEW.check("opened", "submit", ["expert"], obj=_review(), ctx={**open_ctx, "unscored": 2})
    with pytest.raises(InvalidTransition, match="推荐意见"):
        wf.REVIEW.check("opened", "submit", ["expert"], obj=_review(recommendation=""), ctx=open_ctx)
    assert wf.REVIEW.check("opened", "submit", ["expert"], obj=_review(), ctx=open_ctx).target == "submitted"


def test_assignment_is_replaced_by_staff_with_a_reason():
    t = wf.ASSIGNMENT.check("active", "replace", ["staff"], ctx={"reason": "回避"})
    assert t.target == "replaced"
    assert wf.ASSIGNMENT.reasons_refused("active", "replace", ["staff"], ctx={"reason": " "})
    assert wf.ASSIGNMENT.reasons_refused("active", "replace", ["expert"], ctx={"reason": "x"})
    assert wf.ASSIGNMENT.reasons_refused("replaced", "replace", ["staff"], ctx={"reason": "x"})
