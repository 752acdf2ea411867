"""Writes for the pre-application stage (预申报, issue #18) of a list whose programme version has one: a unit
submits the short form of that version within the stage's days; staff invite it to the formal application
or decline it with a reason the applicant sees. Only an invited unit opens and submits a formal application
(applications.application_create, workflow.g_invited)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from kechuang.accounts.selectors import users_with_role
from kechuang.core.audit import audit_record
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.messages import Message
from kechuang.core.notifications import notify
from kechuang.core.roles import Role
from kechuang.programmes import fieldkinds

from .. import permissions, programme, selectors
from ..models import Challenge, PreApplication
from ..workflow import PRE_APPLICATION, PreApplicationStatus
from ._common import run

MSG_NOT_PRE_APPLICANT = gettext_lazy("只有单位用户可以在发榜期间对设有预申报环节的榜单预申报。")


def _form_problems(form_version, values) -> tuple[dict, list[str]]:
    """The pre-application's answers checked by its form version (required flags, limits, options,
    conditions): (the JSON-safe values by key, every field's reason)."""
    specs = form_version.fields if form_version else []
    if values is not None and not isinstance(values, dict):
        values = {}
    form = fieldkinds.build_form(specs, data=dict(values or {}))
    if form.is_valid():
        return form.json_values(), []
    labels = {f["key"]: f.get("label", f["key"]) for f in specs}
    return dict(values or {}), [f"“{labels.get(k, k)}”：{v[0]}" for k, v in form.errors.items()]


@transaction.atomic
def pre_application_submit(*, actor, challenge: Challenge, values: dict) -> PreApplication:
    """Submit the actor's unit's pre-application to the list: its answers checked by the stage's form
    version (kept with it), within the stage's days, by an eligible unit. One per unit; a refused submission
    keeps nothing. Staff are told. Audited (create and submit)."""
    if not permissions.can_pre_apply(actor, challenge):
        raise PermissionDenied(MSG_NOT_PRE_APPLICANT)
    if PreApplication.objects.filter(challenge=challenge, unit_id=actor.unit_id).exists():
        raise ApplicationError(_("本单位已提交过本榜单的预申报。"), code="duplicate")
    form_version = programme.pre_form(challenge)
    clean, problems = _form_problems(form_version, values)
    pre = PreApplication(
        challenge=challenge, unit_id=actor.unit_id, leader=actor, form_version=form_version, values=clean
    )
    pre.full_clean()
    pre.save()
    audit_record(
        actor=actor,
        action="pre_application.create",
        obj=pre,
        after={"challenge": challenge.pk, "unit": pre.unit_id, "form_version": pre.form_version_id},
    )
    run(
        obj=pre,
        machine=PRE_APPLICATION,
        action="submit",
        actor=actor,
        ctx={
            "challenge_status": challenge.status,
            "deadline": challenge.deadline,
            "pre_closes_on": programme.pre_closes_on(challenge),
            "form_problems": problems,
            "eligibility": selectors.pre_application_problems(pre),
        },
        extra={"submitted_at": timezone.now()},
    )
    notify(
        recipients=users_with_role(Role.STAFF),
        title=Message(
            gettext_noop("新的预申报：%(unit)s（%(code)s）"), unit=pre.unit.both_names, code=challenge.code
        ),
        url=pre.get_absolute_url(),
        kind="pre_application.submitted",
        email=False,
    )
    return pre


@transaction.atomic
def pre_application_shortlist(
    *, actor, pre_application: PreApplication, invite: bool, reason: str = ""
) -> PreApplication:
    """Staff's shortlist of one pre-application: invite the unit to the formal application, or decline it
    with `reason` (required; the applicant sees it). Decided once. The unit is told. Audited."""
    if not permissions.can_shortlist(actor, pre_application.challenge):
        raise PermissionDenied(_("只有科技厅工作人员可以遴选预申报。"))
    reason = (reason or "").strip()
    run(
        obj=pre_application,
        machine=PRE_APPLICATION,
        action="invite" if invite else "decline",
        actor=actor,
        reason=reason,
        extra={"decision_note": reason, "decided_at": timezone.now()},
    )
    title = (
        gettext_noop("预申报已获邀请正式申报：%(code)s")
        if invite
        else gettext_noop("预申报未获邀请正式申报：%(code)s")
    )
    notify(
        recipients=[pre_application.leader],
        title=Message(title, code=pre_application.challenge.code),
        body=reason,
        url=pre_application.get_absolute_url(),
        kind="pre_application.shortlist",
    )
    return pre_application


def invited(challenge: Challenge, unit_id) -> bool:
    """The unit's pre-application to the list was invited to the formal application."""
    pre = selectors.pre_application_of(challenge, unit_id)
    return pre is not None and pre.status == PreApplicationStatus.INVITED


def why_not_invited(challenge: Challenge, unit_id) -> str:
    """Why the unit may not (yet) open the formal application of a list that pre-applies, in words; "" when
    it may."""
    pre = selectors.pre_application_of(challenge, unit_id)
    if pre is None or pre.status == PreApplicationStatus.DRAFT:
        return _("未获邀请正式申报：本榜单先预申报，请先提交预申报。")
    if pre.status == PreApplicationStatus.SUBMITTED:
        return _("未获邀请正式申报：预申报已提交，等待科技厅遴选。")
    if pre.status == PreApplicationStatus.DECLINED:
        return _("未获邀请正式申报：%(reason)s") % {"reason": pre.decision_note}
    return ""


def require_invited(challenge: Challenge, unit_id) -> None:
    """Refuse a formal application of a unit not invited, when the list runs a pre-application stage."""
    if programme.runs_pre_application(challenge):
        why = why_not_invited(challenge, unit_id)
        if why:
            raise ApplicationError(why, code="not_invited")
