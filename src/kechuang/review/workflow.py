"""The small lifecycles of review: an expert's profile, a round, an assignment and one review.

Pure: no queries. Guards read the object's own fields and the facts the calling service computed
(`selectors.round_facts`, `selectors.review_facts`) from `ctx`; `transition_apply` runs the machines."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

from kechuang.core.lists import listed
from kechuang.core.roles import Role
from kechuang.core.workflow import StateMachine, Transition

# A notice stored before the status had its context kept the bare word (core.messages): still read.
gettext_noop("已入库")


class ProfileStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", pgettext_lazy("专家状态", "已入库")  # in the expert pool, not a stored record
    REJECTED = "rejected", _("未通过")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("待分配")
    ASSIGNED = "assigned", _("已分配")
    REVIEWING = "reviewing", _("评审中")
    PANEL = "panel", _("会评")
    CLOSED = "closed", _("已结束")


class AssignmentStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    REPLACED = "replaced", _("已替换")
    RELEASED = "released", _("已免除")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("待评审")
    OPENED = "opened", _("评审中")
    SUBMITTED = "submitted", _("已提交")
    DECLINED = "declined", _("声明回避")


STAFF = frozenset({Role.STAFF.value})
EXPERT = frozenset({Role.EXPERT.value})
STAFF_OR_EXPERT = STAFF | EXPERT


def _profile_complete(profile, ctx):
    if not profile.keywords and not profile.disciplines:
        return _("请至少选择一个学科或填写一个研究方向关键词。")
    return None


PROFILE = StateMachine(
    "expert_profile",
    ProfileStatus,
    [
        Transition(
            "submit",
            frozenset({"draft", "rejected", "approved"}),
            "submitted",
            STAFF_OR_EXPERT,
            _("提交审核"),
            (_profile_complete,),
        ),
        Transition(
            "approve",
            frozenset({"submitted", "draft"}),
            "approved",
            STAFF,
            _("审核通过"),
            (_profile_complete,),
        ),
        Transition("reject", frozenset({"submitted"}), "rejected", STAFF, _("退回"), needs_reason=True),
    ],
)


def _has_assignments(rnd, ctx):
    if not ctx.get("has_active_assignments"):
        return _("本轮还没有分配专家。")
    return None


ROUND = StateMachine(
    "round",
    RoundStatus,
    [
        Transition("assign", frozenset({"draft", "assigned"}), "assigned", STAFF, _("分配专家")),
        Transition(
            "start", frozenset({"assigned"}), "reviewing", STAFF, _("通知专家开始评审"), (_has_assignments,)
        ),
        Transition("panel", frozenset({"reviewing"}), "panel", STAFF, _("结束评审，进入会评")),
        Transition("reopen", frozenset({"panel"}), "reviewing", STAFF, _("重新开放评审"), needs_reason=True),
        Transition("close", frozenset({"panel"}), "closed", STAFF, _("结束本轮")),
    ],
)


# Staff replace an assigned expert by hand, or release one from a review (with a reason); the line stays for the
# record.
ASSIGNMENT = StateMachine(
    "assignment",
    AssignmentStatus,
    [
        Transition("replace", frozenset({"active"}), "replaced", STAFF, _("替换专家"), needs_reason=True),
        # Staff excuse an expert from one review (with a reason): it is no longer owed, nor counted.
        Transition("release", frozenset({"active"}), "released", STAFF, _("免除评审"), needs_reason=True),
    ],
)


def _declared(review, ctx):
    if not review.declared_no_conflict_at:
        return _("请先声明与该评审对象无利益冲突。")
    return None


def _round_open(review, ctx):
    if ctx.get("round_status") != "reviewing":
        return _("本轮评审尚未开始或已经结束。")
    return None


def _all_scored(review, ctx):
    if ctx.get("unscored", 1):
        return _("还有评分指标未打分。")
    if ctx.get("missing"):
        return _("评审表还有必填项未填写：%(fields)s。") % {"fields": listed(ctx["missing"])}
    if not review.recommendation:
        return _("请选择推荐意见。")
    if not review.comments.strip():
        return _("请填写评审意见。")
    return None


REVIEW = StateMachine(
    "review",
    ReviewStatus,
    [
        Transition("open", frozenset({"pending"}), "opened", EXPERT, _("开始评审"), (_round_open, _declared)),
        Transition(
            "decline", frozenset({"pending", "opened"}), "declined", EXPERT, _("声明回避"), needs_reason=True
        ),
        Transition(
            "submit", frozenset({"opened"}), "submitted", EXPERT, _("提交评审"), (_round_open, _all_scored)
        ),
        Transition("reopen", frozenset({"submitted"}), "opened", STAFF, _("退回修改"), needs_reason=True),
    ],
)
