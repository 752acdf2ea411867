"""Who builds and who fills. Staff build forms and programme types, open and move calls, read every
submission; a unit user fills the form of a call's current stage when that stage is the applicants', and reads
their own submissions."""

from django.utils import timezone

from kechuang.core.roles import Role, has_role


def can_build(user) -> bool:
    return has_role(user, Role.STAFF)


def can_view_submission(user, submission) -> bool:
    return has_role(user, Role.STAFF) or submission.submitted_by_id == getattr(user, "pk", None)


def why_not_fill(user, call) -> str:
    """Why the user cannot fill the call's current form now ('' when they can)."""
    from django.utils.translation import gettext as _

    stage = call.stage or {}
    if call.status != "running":
        return _("该批次已完成。")
    if not stage.get("form"):
        return _("当前环节“%(name)s”不需要填写表单。") % {"name": stage.get("name", "")}
    if stage.get("role") != Role.APPLICANT:
        return _("当前环节“%(name)s”不由申报单位填写。") % {"name": stage.get("name", "")}
    if not has_role(user, Role.APPLICANT):
        return _("只有申报单位用户可以填报。")
    if call.stage_closes_on and timezone.localdate() > call.stage_closes_on:
        from .workflow import date_words

        return _("“%(name)s”已于%(date)s截止，不能再提交。") % {
            "name": stage.get("name", ""),
            "date": date_words(call.stage_closes_on),
        }
    return ""
