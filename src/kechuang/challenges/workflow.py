"""The lifecycles of the open-challenge (揭榜挂帅) programme: one explicit machine per lifecycle object.

Pure Python: no queries. Guards read the object's own attributes and facts the calling service puts in
`ctx` (``now``, ``eligibility``, ``open_objections`` ...), so the whole table is testable without a database.
Only `kechuang.core.services.transition_apply` runs these machines; nothing else assigns a status field.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kechuang.core.dates import when_text
from kechuang.core.roles import Role
from kechuang.core.workflow import StateMachine, Transition

from . import statuses

# The statuses live in statuses.py (values only); models, services and views read them from here.
APPLICATION_EDITABLE = statuses.APPLICATION_EDITABLE
APPLICATION_IN_PLAY = statuses.APPLICATION_IN_PLAY
CONTRACT_ACTIVE = statuses.CONTRACT_ACTIVE
CONTRACT_TERMINAL = statuses.CONTRACT_TERMINAL
ApplicationStatus = statuses.ApplicationStatus
ChallengeStatus = statuses.ChallengeStatus
ChangeRequestStatus = statuses.ChangeRequestStatus
ContractStatus = statuses.ContractStatus
MilestoneStatus = statuses.MilestoneStatus
PreApplicationStatus = statuses.PreApplicationStatus
PerformanceStatus = statuses.PerformanceStatus
PerformanceGrade = statuses.PerformanceGrade
ObjectionStatus = statuses.ObjectionStatus

STAFF = frozenset({Role.STAFF.value})
APPLICANT = frozenset({Role.APPLICANT.value})
TRACKERS = frozenset({Role.STAFF.value, Role.COMMISSIONER.value})


# Messages kept as constants so tests can assert on them.
MSG_DEADLINE_PASSED = _("揭榜截止时间已过。")
MSG_DEADLINE_NOT_PASSED = _("揭榜截止时间未到，不能截止。")
MSG_DEADLINE_IN_PAST = _("截止时间必须晚于现在。")
MSG_NO_INDICATORS = _("榜单至少需要一项可考核的目标指标。")
MSG_BAD_WEIGHTS = _("评审指标权重之和必须为 1。")
MSG_NO_BUDGET = _("榜单须填写大于零的经费上限。")
MSG_NOT_PUBLISHED = _("榜单未处于发榜状态。")
MSG_NO_PLAN = _("请填写技术方案。")
MSG_NO_MILESTONES = _("请至少填写一个里程碑。")
MSG_PUBLICITY_OPEN = _("公示期尚未结束。")
MSG_NO_PUBLICITY = _("尚未发布拟立项公示。")
MSG_OPEN_OBJECTIONS = _("还有未答复的异议。")
MSG_NO_PROPOSED = _("没有拟立项的揭榜方。")
MSG_TOO_MANY_WINNERS = _("拟立项数量超过榜单允许的揭榜方数量。")
MSG_CONTRACTS_OPEN = _("还有未结束的任务书。")
MSG_NO_COMMISSIONER = _("任务书尚未指定项目专员。")
MSG_NO_CONTRACT_MILESTONES = _("任务书至少需要一个里程碑。")
MSG_MILESTONES_UNVERIFIED = _("还有未核验的里程碑。")
MSG_NO_ACCEPTANCE = _("尚未登记验收结论。")
MSG_ACCEPTANCE_FAILED = _("验收结论为不通过，应执行“验收不通过”。")
MSG_ACCEPTANCE_PASSED = _("验收结论为通过，应执行“验收通过结题”。")
MSG_NOT_RACING = _("该榜单不是赛马制，不能淘汰或合并团队。")
MSG_NO_VALUES = _("请填写每项指标的报告值。")
MSG_NO_DEFENCE = _("本榜单设有答辩环节：只有经答辩评审并登记答辩得分的申请才能拟立项。")
MSG_NOT_INVITED = _("未获邀请正式申报：本榜单先预申报，经遴选获邀请的单位才能提交揭榜申请。")
MSG_PRE_CLOSED = _("预申报已于%(date)s截止。")
# Appended to a refusal so the page says when it unlocks (issue #13.5).
MSG_DEADLINE_WAS = _("截止时间为 %(date)s。")
MSG_DEADLINE_UNLOCKS = _("截止时间为 %(date)s，到期后可截止揭榜。")
MSG_PUBLICITY_ENDS = _("公示期至 %(date)s，次日起可确定揭榜方。")


def _when(value) -> str:
    """A date or a moment as people read it (local time, to the minute)."""
    return when_text(value)


def _dated(message, detail, value) -> str:
    return f"{message}{detail % {'date': _when(value)}}" if value else str(message)


def _now(ctx) -> datetime.datetime:
    return ctx.get("now") or timezone.now()


# Challenge guards ------------------------------------------------------------------------------------


def g_deadline_future(obj, ctx):
    if obj.deadline is None or obj.deadline <= _now(ctx):
        return MSG_DEADLINE_IN_PAST
    return None


def g_has_indicators(obj, ctx):
    return None if ctx.get("indicator_count", 0) > 0 else MSG_NO_INDICATORS


def g_weights_sum_one(obj, ctx):
    weights = [float(c.get("weight", 0)) for c in (obj.criteria or [])]
    return None if weights and abs(sum(weights) - 1.0) < 1e-6 else MSG_BAD_WEIGHTS


def g_has_budget(obj, ctx):
    return None if obj.budget_ceiling and obj.budget_ceiling > 0 else MSG_NO_BUDGET


def g_deadline_passed(obj, ctx):
    if obj.deadline is not None and obj.deadline <= _now(ctx):
        return None
    return _dated(MSG_DEADLINE_NOT_PASSED, MSG_DEADLINE_UNLOCKS, obj.deadline)


def g_publicity_over(obj, ctx):
    if ctx.get("publicity_required", True) is False:  # the list's version has no publicity stage
        return None
    ends = ctx.get("publicity_ends")
    if ends is None:
        return MSG_NO_PUBLICITY
    return (
        None if timezone.localdate(_now(ctx)) > ends else _dated(MSG_PUBLICITY_OPEN, MSG_PUBLICITY_ENDS, ends)
    )


def g_no_open_objections(obj, ctx):
    return None if not ctx.get("open_objections", 0) else MSG_OPEN_OBJECTIONS


def g_winners_count(obj, ctx):
    n = ctx.get("proposed_count", 0)
    if n <= 0:
        return MSG_NO_PROPOSED
    return None if n <= obj.max_winners else MSG_TOO_MANY_WINNERS


def g_contracts_done(obj, ctx):
    return None if not ctx.get("open_contracts", 0) else MSG_CONTRACTS_OPEN


CHALLENGE = StateMachine(
    "challenge",
    ChallengeStatus,
    [
        Transition(
            "publish",
            frozenset({ChallengeStatus.DRAFT}),
            ChallengeStatus.PUBLISHED,
            STAFF,
            _("发榜"),
            guards=(g_deadline_future, g_has_indicators, g_weights_sum_one, g_has_budget),
        ),
        Transition(
            "close",
            frozenset({ChallengeStatus.PUBLISHED}),
            ChallengeStatus.CLOSED,
            STAFF,
            _("截止揭榜"),
            guards=(g_deadline_passed,),
        ),
        Transition(
            "award",
            frozenset({ChallengeStatus.CLOSED}),
            ChallengeStatus.AWARDED,
            STAFF,
            _("确定揭榜方"),
            guards=(g_publicity_over, g_no_open_objections, g_winners_count),
        ),
        Transition(
            "finish",
            frozenset({ChallengeStatus.AWARDED}),
            ChallengeStatus.FINISHED,
            STAFF,
            _("榜单结束"),
            guards=(g_contracts_done,),
        ),
        Transition(
            "cancel",
            frozenset({ChallengeStatus.DRAFT, ChallengeStatus.PUBLISHED, ChallengeStatus.CLOSED}),
            ChallengeStatus.CANCELLED,
            STAFF,
            _("撤榜"),
            needs_reason=True,
        ),
    ],
)

# Application guards ----------------------------------------------------------------------------------


def g_before_deadline(obj, ctx):
    deadline = ctx.get("deadline")
    if deadline is None or _now(ctx) >= deadline:
        return _dated(MSG_DEADLINE_PASSED, MSG_DEADLINE_WAS, deadline)
    return None


def g_challenge_published(obj, ctx):
    return None if ctx.get("challenge_status") == ChallengeStatus.PUBLISHED else MSG_NOT_PUBLISHED


def g_eligible(obj, ctx):
    problems = ctx.get("eligibility") or []
    return " ".join(str(p) for p in problems) or None


def g_has_plan(obj, ctx):
    return None if (obj.plan or "").strip() else MSG_NO_PLAN


def g_has_milestones(obj, ctx):
    return None if ctx.get("milestone_count", 0) > 0 else MSG_NO_MILESTONES


def g_invited(obj, ctx):
    """A list whose version has a pre-application stage admits formal applications from invited units only
    (`pre_application`: the list runs one; `invited`: this unit's pre-application was invited)."""
    if ctx.get("pre_application") and not ctx.get("invited"):
        return MSG_NOT_INVITED
    return None


def g_defended(obj, ctx):
    """A list with a 答辩 stage after the letter review proposes only applications with a defence score."""
    if ctx.get("defence_required") and getattr(obj, "defence_score", None) is None:
        return MSG_NO_DEFENCE
    return None


def g_app_publicity_over(obj, ctx):
    return g_publicity_over(obj, ctx)


def g_app_no_objections(obj, ctx):
    return g_no_open_objections(obj, ctx)


APPLICATION = StateMachine(
    "application",
    ApplicationStatus,
    [
        Transition(
            "submit",
            frozenset({ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN, ApplicationStatus.RETURNED}),
            ApplicationStatus.SUBMITTED,
            APPLICANT,
            _("提交揭榜申请"),
            guards=(
                g_challenge_published,
                g_before_deadline,
                g_invited,
                g_has_plan,
                g_has_milestones,
                g_eligible,
            ),
        ),
        Transition(
            "withdraw",
            frozenset({ApplicationStatus.SUBMITTED}),
            ApplicationStatus.WITHDRAWN,
            APPLICANT,
            _("撤回"),
            guards=(g_before_deadline,),
        ),
        Transition(
            "return",
            frozenset({ApplicationStatus.SUBMITTED}),
            ApplicationStatus.RETURNED,
            STAFF,
            _("形式审查退回修改"),
            guards=(g_before_deadline,),
            needs_reason=True,
        ),
        Transition(
            "pass_formal",
            frozenset({ApplicationStatus.SUBMITTED}),
            ApplicationStatus.FORMAL_PASSED,
            STAFF,
            _("形式审查通过"),
        ),
        Transition(
            "start_review",
            frozenset({ApplicationStatus.FORMAL_PASSED}),
            ApplicationStatus.UNDER_REVIEW,
            STAFF,
            _("进入专家评审"),
        ),
        Transition(
            "propose",
            frozenset({ApplicationStatus.UNDER_REVIEW}),
            ApplicationStatus.PROPOSED,
            STAFF,
            _("拟立项"),
            guards=(g_defended,),
        ),
        Transition(
            "reject",
            frozenset(
                {
                    ApplicationStatus.SUBMITTED,
                    ApplicationStatus.FORMAL_PASSED,
                    ApplicationStatus.UNDER_REVIEW,
                    ApplicationStatus.PROPOSED,
                }
            ),
            ApplicationStatus.REJECTED,
            STAFF,
            _("不予立项"),
            needs_reason=True,
        ),
        Transition(
            "award",
            frozenset({ApplicationStatus.PROPOSED}),
            ApplicationStatus.AWARDED,
            STAFF,
            _("立项"),
            guards=(g_app_publicity_over, g_app_no_objections),
        ),
    ],
)

# Pre-application guards (预申报, issue #18) ---------------------------------------------------------------


def g_pre_open(obj, ctx):
    """The pre-application stage is open: the list is published and the stage's last day (`pre_closes_on`,
    from the stage's days; None: until the list's deadline) not passed."""
    if ctx.get("challenge_status") != ChallengeStatus.PUBLISHED:
        return MSG_NOT_PUBLISHED
    closes = ctx.get("pre_closes_on")
    if closes is not None and timezone.localdate(_now(ctx)) > closes:
        return MSG_PRE_CLOSED % {"date": _when(closes)}
    deadline = ctx.get("deadline")
    if deadline is not None and _now(ctx) >= deadline:
        return _dated(MSG_DEADLINE_PASSED, MSG_DEADLINE_WAS, deadline)
    return None


def g_pre_eligible(obj, ctx):
    return g_eligible(obj, ctx)


def g_pre_values(obj, ctx):
    """The pre-application form's own check (required fields, limits) found nothing wrong."""
    problems = ctx.get("form_problems") or []
    return " ".join(str(p) for p in problems) or None


PRE_APPLICATION = StateMachine(
    "pre_application",
    PreApplicationStatus,
    [
        Transition(
            "submit",
            frozenset({PreApplicationStatus.DRAFT}),
            PreApplicationStatus.SUBMITTED,
            APPLICANT,
            _("提交预申报"),
            guards=(g_pre_open, g_pre_values, g_pre_eligible),
        ),
        Transition(
            "invite",
            frozenset({PreApplicationStatus.SUBMITTED}),
            PreApplicationStatus.INVITED,
            STAFF,
            _("邀请正式申报"),
            event="shortlist",
        ),
        Transition(
            "decline",
            frozenset({PreApplicationStatus.SUBMITTED}),
            PreApplicationStatus.DECLINED,
            STAFF,
            _("不邀请正式申报"),
            needs_reason=True,
            event="shortlist",
        ),
    ],
)


# Contract (project) guards ---------------------------------------------------------------------------


def g_has_commissioner(obj, ctx):
    return None if obj.commissioner_id else MSG_NO_COMMISSIONER


def g_has_contract_milestones(obj, ctx):
    return None if ctx.get("milestone_count", 0) > 0 else MSG_NO_CONTRACT_MILESTONES


def g_milestones_verified(obj, ctx):
    return None if not ctx.get("unverified_milestones", 0) else MSG_MILESTONES_UNVERIFIED


def g_verdict_pass(obj, ctx):
    verdict = ctx.get("verdict")
    if not verdict:
        return MSG_NO_ACCEPTANCE
    return MSG_ACCEPTANCE_FAILED if verdict == "failed" else None


def g_verdict_fail(obj, ctx):
    verdict = ctx.get("verdict")
    if not verdict:
        return MSG_NO_ACCEPTANCE
    return None if verdict == "failed" else MSG_ACCEPTANCE_PASSED


def g_racing(obj, ctx):
    return None if ctx.get("racing") else MSG_NOT_RACING


CONTRACT = StateMachine(
    "contract",
    ContractStatus,
    [
        Transition(
            "sign",
            frozenset({ContractStatus.DRAFT}),
            ContractStatus.IN_PROGRESS,
            STAFF,
            _("签订任务书"),
            guards=(g_has_commissioner, g_has_contract_milestones),
        ),
        Transition(
            "request_acceptance",
            frozenset({ContractStatus.IN_PROGRESS}),
            ContractStatus.ACCEPTANCE,
            frozenset({Role.STAFF.value, Role.COMMISSIONER.value, Role.APPLICANT.value}),
            _("申请验收"),
            guards=(g_milestones_verified,),
        ),
        Transition(
            "pass_acceptance",
            frozenset({ContractStatus.ACCEPTANCE}),
            ContractStatus.FINISHED,
            STAFF,
            _("验收通过结题"),
            guards=(g_verdict_pass,),
        ),
        Transition(
            "fail_acceptance",
            frozenset({ContractStatus.ACCEPTANCE}),
            ContractStatus.FAILED,
            STAFF,
            _("验收不通过"),
            guards=(g_verdict_fail,),
        ),
        Transition(
            "stop",
            frozenset({ContractStatus.IN_PROGRESS}),
            ContractStatus.STOPPED,
            STAFF,
            _("赛马淘汰"),
            guards=(g_racing,),
            needs_reason=True,
        ),
        Transition(
            "merge",
            frozenset({ContractStatus.IN_PROGRESS}),
            ContractStatus.MERGED,
            STAFF,
            _("赛马合并"),
            guards=(g_racing,),
            needs_reason=True,
        ),
        Transition(
            "terminate",
            frozenset({ContractStatus.DRAFT, ContractStatus.IN_PROGRESS, ContractStatus.ACCEPTANCE}),
            ContractStatus.TERMINATED,
            STAFF,
            _("终止任务书"),
            needs_reason=True,
        ),
    ],
)

# Milestone guards ------------------------------------------------------------------------------------


def g_contract_running(obj, ctx):
    if ctx.get("contract_status") != ContractStatus.IN_PROGRESS:
        return _("任务书不在实施中。")
    return None


def g_values_complete(obj, ctx):
    return None if not ctx.get("missing_values", 0) else MSG_NO_VALUES


MILESTONE = StateMachine(
    "milestone",
    MilestoneStatus,
    [
        Transition(
            "report",
            frozenset({MilestoneStatus.TARGET}),
            MilestoneStatus.REPORTED,
            APPLICANT,
            _("报告完成情况"),
            guards=(g_contract_running, g_values_complete),
        ),
        Transition(
            "verify",
            frozenset({MilestoneStatus.REPORTED}),
            MilestoneStatus.VERIFIED,
            TRACKERS,
            _("核验通过"),
            guards=(g_contract_running,),
        ),
        Transition(
            "send_back",
            frozenset({MilestoneStatus.REPORTED}),
            MilestoneStatus.TARGET,
            TRACKERS,
            _("退回补充"),
            guards=(g_contract_running,),
            needs_reason=True,
        ),
    ],
)

# An objection to a proposed award is answered once, by staff: upheld or dismissed (audited as the answer).
OBJECTION = StateMachine(
    "objection",
    ObjectionStatus,
    [
        Transition(
            "uphold",
            frozenset({ObjectionStatus.OPEN}),
            ObjectionStatus.UPHELD,
            STAFF,
            _("异议成立"),
            event="answer",
        ),
        Transition(
            "dismiss",
            frozenset({ObjectionStatus.OPEN}),
            ObjectionStatus.DISMISSED,
            STAFF,
            _("异议不成立"),
            event="answer",
        ),
    ],
)

# A change request is decided once, by staff: approved (and then applied) or rejected with a reason.
CHANGE_REQUEST = StateMachine(
    "change_request",
    ChangeRequestStatus,
    [
        Transition(
            "approve",
            frozenset({ChangeRequestStatus.PENDING}),
            ChangeRequestStatus.APPROVED,
            STAFF,
            _("批准变更"),
            event="decide",
        ),
        Transition(
            "reject",
            frozenset({ChangeRequestStatus.PENDING}),
            ChangeRequestStatus.REJECTED,
            STAFF,
            _("不批准变更"),
            needs_reason=True,
            event="decide",
        ),
    ],
)

# Performance evaluation (绩效评价, issue #18) --------------------------------------------------------------

MSG_PERF_NO_STAGE = _("本项目所属榜单的版本没有绩效评价环节。")
MSG_PERF_NOT_ACCEPTED = _("项目验收结题后才能进行绩效评价（当前：%(status)s）。")
MSG_PERF_NO_GRADE = _("请选择绩效评价等级（优秀、良好、合格、不合格）。")
# After acceptance: the acceptance verdict closed the contract (passed or with conditions: finished; failed).
ACCEPTED = frozenset({ContractStatus.FINISHED, ContractStatus.FAILED})


def performance_blocker(*, has_stage: bool, contract_status: str) -> str | None:
    """Why a project's performance evaluation may not be filled now, in words (None: it may): the list's
    version has no performance stage, or the project has not been through acceptance."""
    if not has_stage:
        return str(MSG_PERF_NO_STAGE)
    if contract_status not in ACCEPTED:
        label = dict(ContractStatus.choices).get(contract_status, contract_status)
        return str(MSG_PERF_NOT_ACCEPTED % {"status": label})
    return None


def g_perf_accepted(obj, ctx):
    return performance_blocker(
        has_stage=bool(ctx.get("has_stage")), contract_status=ctx.get("contract_status", "")
    )


def g_perf_grade(obj, ctx):
    return None if getattr(obj, "grade", "") in PerformanceGrade.values else MSG_PERF_NO_GRADE


def g_perf_values(obj, ctx):
    """The evaluation form's own check (required fields, limits) found nothing wrong."""
    problems = ctx.get("form_problems") or []
    return " ".join(str(p) for p in problems) or None


PERFORMANCE = StateMachine(
    "performance",
    PerformanceStatus,
    [
        Transition(
            "submit",
            frozenset({PerformanceStatus.DRAFT}),
            PerformanceStatus.SUBMITTED,
            TRACKERS,
            _("提交绩效评价"),
            guards=(g_perf_accepted, g_perf_grade, g_perf_values),
        ),
        Transition(
            "confirm",
            frozenset({PerformanceStatus.SUBMITTED}),
            PerformanceStatus.CONFIRMED,
            STAFF,
            _("确认绩效评价"),
            guards=(g_perf_accepted, g_perf_grade),
        ),
        Transition(
            "send_back",
            frozenset({PerformanceStatus.SUBMITTED}),
            PerformanceStatus.DRAFT,
            STAFF,
            _("退回绩效评价"),
            needs_reason=True,
        ),
    ],
)

MACHINES = {m.name: m for m in (CHALLENGE, APPLICATION, CONTRACT, MILESTONE, PRE_APPLICATION, PERFORMANCE)}
