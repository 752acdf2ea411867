"""The statuses of a generic call's per-application records (values only; workflow.py re-exports them beside
its machines, so the workflow module stays free of Django's models)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FormalStatus(models.TextChoices):
    """One formal application's outcome at a formal check stage. No record yet is PENDING (未审查)."""

    PENDING = "pending", _("待审查")
    PASSED = "passed", _("形式审查通过")
    RETURNED = "returned", _("退回补正")
    FAILED = "failed", _("形式审查不通过")


class AwardStatus(models.TextChoices):
    """One application's outcome at a decision stage (立项决定). No record yet is PENDING (待决定). Both
    outcomes are final: a decision is not taken back."""

    PENDING = "pending", _("待决定")
    AWARDED = "awarded", _("予以立项")
    REJECTED = "rejected", _("不予立项")


class ShortlistStatus(models.TextChoices):
    """One application's place at a 会评/答辩 stage that follows a 函评: chosen from the 函评 ranking to go on to
    the 答辩 (入围) or not (未入围, with a reason the applicant sees). No record yet is PENDING (待确定). Both
    outcomes are final."""

    PENDING = "pending", _("待确定")
    SHORTLISTED = "shortlisted", _("入围")
    NOT_SHORTLISTED = "not_shortlisted", _("未入围")


class InvitationStatus(models.TextChoices):
    """One pre-application's outcome at a 预申报 stage (the invitation for the formal application). No record
    yet is PENDING (待遴选). Both outcomes are final: an invitation is not taken back."""

    PENDING = "pending", _("待遴选")
    INVITED = "invited", _("邀请正式申报")
    DECLINED = "declined", _("不予邀请")


class ObjectionStatus(models.TextChoices):
    """An objection (异议) lodged against an application on a call's publicity (公示) list: open until staff
    answer it once, upheld (异议成立: the application is not awarded) or dismissed (异议不成立), or until the
    objector withdraws it (已撤回: it no longer holds the stage or the decision)."""

    OPEN = "open", _("待处理")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")
    WITHDRAWN = "withdrawn", _("已撤回")
