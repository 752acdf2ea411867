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

    from .names import local

    stage = call.stage or {}
    if call.status != "running":
        return _("该批次已完成。")
    if not stage.get("form"):
        return _("当前环节“%(name)s”不需要填写表单。") % {"name": local(stage, "name")}
    if stage.get("role") != Role.APPLICANT:
        return _("当前环节“%(name)s”不由申报单位填写。") % {"name": local(stage, "name")}
    if not has_role(user, Role.APPLICANT):
        return _("只有申报单位用户可以填报。")
    if call.stage_closes_on and timezone.localdate() > call.stage_closes_on:
        from .workflow import date_words

        return _("“%(name)s”已于%(date)s截止，不能再提交。") % {
            "name": stage.get("name", ""),
            "date": date_words(call.stage_closes_on),
        }
    return ""


# The roles that see a call's publicity list (公示) and may object to it: every signed-in role of the
# platform — the department's publicity is open to the whole innovation community it serves (揭榜挂帅's
# publicity takes objections from anyone signed in); a signed-in account without a role sees nothing.
PUBLICITY_ROLES = tuple(Role)


def can_view_publicity(user) -> bool:
    """Staff, and every signed-in holder of a platform role, see a call's publicity list."""
    return any(has_role(user, r) for r in PUBLICITY_ROLES)


def why_not_object(user, submission) -> str:
    """Why the user cannot lodge an objection against `submission` ('' when they can): staff answer
    objections rather than lodge them, and an applicant does not object to their own application."""
    from django.utils.translation import gettext as _

    if has_role(user, Role.STAFF):
        return _("科技厅工作人员负责处理异议，不在此提出异议。")
    if not can_view_publicity(user):
        return _("请以实名账号登录后提出异议。")
    if submission.submitted_by_id == getattr(user, "pk", None):
        return _("不能对本人的申报提出异议。")
    return ""


def why_not_withdraw_objection(user, objection) -> str:
    """Why the user cannot withdraw `objection` ('' when they can): only the objector withdraws."""
    from django.utils.translation import gettext as _

    if objection.lodged_by_id != getattr(user, "pk", None):
        return _("只有提出异议的本人可以撤回。")
    return ""


def can_view_objection(user, objection) -> bool:
    """Staff and the objector see an objection in full (the objector's identity: staff only)."""
    return has_role(user, Role.STAFF) or objection.lodged_by_id == getattr(user, "pk", None)


def can_view_objection_file(user, objection) -> bool:
    """An objection's file: staff, the objector, and the applicant it is against (who sees the objection on
    their application's page, never its objector)."""
    return can_view_objection(user, objection) or objection.applicant_id == getattr(user, "pk", None)
