"""The statuses of the open-challenge programme's records and the sets of them the rules name (values only; workflow.py re-exports them beside the machines)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChallengeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发榜")
    CLOSED = "closed", _("已截止")
    AWARDED = "awarded", _("已确定揭榜方")
    FINISHED = "finished", _("已结束")
    CANCELLED = "cancelled", _("已撤榜")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    WITHDRAWN = "withdrawn", _("已撤回")
    RETURNED = "returned", _("形式审查退回")
    FORMAL_PASSED = "formal_passed", _("形式审查通过")
    UNDER_REVIEW = "under_review", _("专家评审中")
    PROPOSED = "proposed", _("拟立项（公示中）")
    AWARDED = "awarded", _("已立项")
    REJECTED = "rejected", _("未立项")


class PreApplicationStatus(models.TextChoices):
    """A pre-application (预申报, issue #18): submitted, then staff invite it to the formal application or
    decline it with a reason the applicant sees."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交预申报")
    INVITED = "invited", _("已获邀请正式申报")
    DECLINED = "declined", _("未获邀请正式申报")


class PerformanceStatus(models.TextChoices):
    """A project's performance evaluation (绩效评价, issue #18): filled after acceptance by its commissioner or
    staff, submitted, then confirmed by staff."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    CONFIRMED = "confirmed", _("已确认")


class PerformanceGrade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("任务书待签订")
    IN_PROGRESS = "in_progress", _("攻关实施中")
    ACCEPTANCE = "acceptance", _("验收中")
    FINISHED = "finished", _("已验收结题")
    FAILED = "failed", _("验收未通过")
    STOPPED = "stopped", _("已终止（赛马淘汰）")
    MERGED = "merged", _("已合并（赛马合并）")
    TERMINATED = "terminated", _("已终止")


class MilestoneStatus(models.TextChoices):
    TARGET = "target", _("待完成")
    REPORTED = "reported", _("已报告")
    VERIFIED = "verified", _("已核验")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("待答复")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


class ChangeRequestStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


CONTRACT_ACTIVE = frozenset({ContractStatus.DRAFT, ContractStatus.IN_PROGRESS, ContractStatus.ACCEPTANCE})


CONTRACT_TERMINAL = frozenset(
    {
        ContractStatus.FINISHED,
        ContractStatus.FAILED,
        ContractStatus.STOPPED,
        ContractStatus.MERGED,
        ContractStatus.TERMINATED,
    }
)


APPLICATION_EDITABLE = frozenset(
    {ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN, ApplicationStatus.RETURNED}
)


APPLICATION_IN_PLAY = frozenset(
    {
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.FORMAL_PASSED,
        ApplicationStatus.UNDER_REVIEW,
        ApplicationStatus.PROPOSED,
    }
)
