"""Writes for the decision on a closed challenge: winners proposed with a publicity period (公示), objections
lodged and answered, and the award that drafts each winner's contract (任务书)."""

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kechuang.accounts.selectors import users_with_role
from kechuang.core.audit import audit_record, snapshot
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.messages import Message, label
from kechuang.core.notifications import notify
from kechuang.core.roles import Role, require_role
from kechuang.integrity.models import Restriction

from .. import permissions, selectors
from ..models import (
    Application,
    Challenge,
    Contract,
    ContractIndicator,
    Milestone,
    MilestoneValue,
    Objection,
    Publicity,
)
from ..workflow import APPLICATION, CHALLENGE, OBJECTION, ApplicationStatus, ChallengeStatus
from ._common import new, run
from .calls import MSG_STAFF_ONLY, add_months

# Decision, publicity, objections, award ------------------------------------------------------------------


def _refuse_barred_winners(applications) -> None:
    """Refuse the decision when a current integrity restriction bars a winner's unit, leader or team member
    from awards (kechuang.integrity), naming the application and every reason."""
    problems = []
    for app in applications:
        reasons = selectors.integrity_problems(app, Restriction.AWARD)
        if reasons:
            problems.append(_("“%(t)s”：%(r)s") % {"t": app.title, "r": " ".join(reasons)})
    if problems:
        raise ApplicationError(
            _("受科研诚信限制，不能立项：%(p)s") % {"p": " ".join(problems)}, code="integrity_restricted"
        )


@transaction.atomic
def decision_publish(
    *,
    actor,
    challenge: Challenge,
    winners: Sequence[Application],
    starts_on: datetime.date | None = None,
    days: int = 7,
    notice: str = "",
    reason_others: str = "",
) -> Publicity | None:
    """Propose the winners (拟立项), decline the other reviewed applications and open the publicity period.

    Racing challenges may propose up to `max_winners`; the others get `reason_others` as their reason.
    A list whose programme version has no publicity stage (challenges.programme.OPTIONAL_KINDS) opens none:
    the winners are proposed and the award may follow at once (returns None).
    """
    require_role(actor, Role.STAFF, message=MSG_STAFF_ONLY)
    if challenge.status != ChallengeStatus.CLOSED:
        raise ApplicationError(_("榜单截止后才能作出立项决定。"), code="not_closed")
    if hasattr(challenge, "publicity"):
        raise ApplicationError(_("本榜单已发布过拟立项公示。"), code="publicity_exists")
    winners = list(winners)
    if not winners:
        raise ApplicationError(_("请至少选择一个拟立项的揭榜方。"), code="no_winner")
    if len(winners) > challenge.max_winners:
        raise ApplicationError(
            _("本榜单最多 %(n)d 个揭榜方。") % {"n": challenge.max_winners}, code="too_many_winners"
        )
    if any(w.challenge_id != challenge.pk for w in winners):
        raise ApplicationError(_("所选申请不属于本榜单。"), code="wrong_challenge")
    with_publicity = challenge.has_publicity
    if with_publicity and days < 5:
        raise ApplicationError(_("公示期不少于 5 天。"), code="publicity_short")
    _refuse_barred_winners(winners)
    starts_on = starts_on or timezone.localdate()
    winner_ids = {w.pk for w in winners}
    # A list with a 答辩 stage: only applications scored in the defence round are proposed (g_defended).
    defence = challenge.has_defence
    for w in winners:
        run(obj=w, machine=APPLICATION, action="propose", actor=actor, ctx={"defence_required": defence})
    others = Application.objects.filter(challenge=challenge, status=ApplicationStatus.UNDER_REVIEW).exclude(
        pk__in=winner_ids
    )
    for app in others:
        default = _("经专家评审未入选。")
        if defence:
            default = _("经答辩评审未入选。") if app.defence_score is not None else _("未入围答辩。")
        run(
            obj=app,
            machine=APPLICATION,
            action="reject",
            actor=actor,
            reason=reason_others or default,
        )
    if not with_publicity:
        audit_record(
            actor=actor,
            action="challenge.decision_publish",
            obj=challenge,
            after={"winners": sorted(winner_ids), "publicity": None},
        )
        _tell_applicants(challenge, None)
        return None
    pub = Publicity(
        challenge=challenge,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=days - 1),
        notice=notice,
        published_by=actor if getattr(actor, "pk", None) else None,
    )
    pub.full_clean()
    pub.save()
    audit_record(
        actor=actor,
        action="publicity.create",
        obj=pub,
        after={"starts_on": pub.starts_on, "ends_on": pub.ends_on, "winners": sorted(winner_ids)},
    )
    audit_record(
        actor=actor,
        action="challenge.decision_publish",
        obj=challenge,
        after={"winners": sorted(winner_ids), "publicity": [pub.starts_on, pub.ends_on]},
    )
    _tell_applicants(challenge, pub)
    return pub


def _tell_applicants(challenge: Challenge, pub: Publicity | None) -> None:
    for app in (
        Application.objects.filter(challenge=challenge).exclude(status="draft").select_related("leader")
    ):
        body = (
            Message(
                gettext_noop("您的申请状态：%(s)s。公示期 %(a)s 至 %(b)s。"),
                s=label(app, "status"),
                a=pub.starts_on,
                b=pub.ends_on,
            )
            if pub
            else Message(gettext_noop("您的申请状态：%(s)s。"), s=label(app, "status"))
        )
        notify(
            recipients=[app.leader],
            title=Message(gettext_noop("榜单 %(code)s 立项评审结果"), code=challenge.code),
            body=body,
            url=app.get_absolute_url(),
            kind="application.decision",
        )


@transaction.atomic
def objection_lodge(*, actor, application: Application, text: str, contact: str = "") -> Objection:
    """Lodge an objection against a proposed award during the publicity period. Staff are told."""
    if not permissions.can_lodge_objection(actor):
        raise PermissionDenied(_("请登录后提出异议。"))
    pub = getattr(application.challenge, "publicity", None)
    today = timezone.localdate()
    if pub is None or not (pub.starts_on <= today <= pub.ends_on):
        raise ApplicationError(_("不在公示期内，不能提出异议。"), code="not_in_publicity")
    if application.status != ApplicationStatus.PROPOSED:
        raise ApplicationError(_("只能对拟立项的申请提出异议。"), code="not_proposed")
    if not (text or "").strip():
        raise ApplicationError(_("请写明异议内容。"), code="empty", fields={"text": [_("必填。")]})
    obj = Objection(
        publicity=pub, application=application, lodged_by=actor, contact=contact, text=text.strip()
    )
    obj.full_clean()
    obj.save()
    audit_record(
        actor=actor,
        action="objection.lodge",
        obj=obj,
        after={"application": application.pk, "text": obj.text},
    )
    notify(
        recipients=users_with_role(Role.STAFF),
        title=Message(gettext_noop("公示异议待答复：%(app)s"), app=application.title),
        body=obj.text[:500],
        url=pub.get_absolute_url(),
        kind="objection.lodged",
    )
    return obj


@transaction.atomic
def objection_answer(*, actor, objection: Objection, upheld: bool, answer: str) -> Objection:
    """Answer an objection; an upheld objection declines the proposed application. Staff only."""
    if not permissions.can_answer_objection(actor):
        raise PermissionDenied(_("只有科技厅工作人员可以答复异议。"))
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.status != Objection.Status.OPEN:
        raise ApplicationError(_("该异议已答复。"), code="answered")
    if not (answer or "").strip():
        raise ApplicationError(_("请填写答复意见。"), code="empty", fields={"answer": [_("必填。")]})
    run(
        obj=objection,
        machine=OBJECTION,
        action="uphold" if upheld else "dismiss",
        actor=actor,
        extra={"answer": answer.strip(), "answered_by": actor, "answered_at": timezone.now()},
    )
    app = objection.application
    if upheld and app.status == ApplicationStatus.PROPOSED:
        run(
            obj=app,
            machine=APPLICATION,
            action="reject",
            actor=actor,
            reason=_("公示异议成立：") + objection.answer,
        )
    if objection.lodged_by_id:
        notify(
            recipients=[objection.lodged_by],
            title=Message(gettext_noop("您提出的异议已答复")),
            body=objection.answer,
            url=objection.publicity.get_absolute_url(),
            kind="objection.answered",
        )
    return objection


@transaction.atomic
def award_confirm(*, actor, challenge: Challenge, start_date: datetime.date | None = None) -> list[Contract]:
    """After publicity with every objection answered: award the proposed applications, mark the challenge
    awarded and draft one contract (任务书) per winner from its application. Award notices go out."""
    require_role(actor, Role.STAFF, message=MSG_STAFF_ONLY)
    pub = getattr(challenge, "publicity", None)
    proposed = list(
        Application.objects.filter(challenge=challenge, status=ApplicationStatus.PROPOSED).select_related(
            "leader", "unit"
        )
    )
    ctx = {
        "publicity_ends": pub.ends_on if pub else None,
        "publicity_required": challenge.has_publicity,
        "open_objections": selectors.objections_open(challenge),
        "proposed_count": len(proposed),
    }
    _refuse_barred_winners(proposed)
    run(obj=challenge, machine=CHALLENGE, action="award", actor=actor, ctx=ctx)
    start = start_date or timezone.localdate()
    contracts = []
    for n, app in enumerate(proposed, start=1):
        run(
            obj=app,
            machine=APPLICATION,
            action="award",
            actor=actor,
            ctx={
                "publicity_ends": ctx["publicity_ends"],
                "publicity_required": ctx["publicity_required"],
                "open_objections": selectors.objections_open_for(app),
            },
        )
        contracts.append(_contract_from_application(actor=actor, app=app, seq=n, start=start))
        notify(
            recipients=[app.leader],
            title=Message(gettext_noop("立项通知：%(t)s"), t=app.title),
            body=Message(gettext_noop("您的揭榜申请已立项，请与项目专员签订任务书。")),
            url=contracts[-1].get_absolute_url(),
            kind="application.awarded",
        )
    notify(
        recipients=users_with_role(Role.STAFF),
        title=Message(gettext_noop("榜单 %(code)s 已立项，请为任务书指定项目专员"), code=challenge.code),
        url=challenge.get_absolute_url(),
        kind="contract.assign",
    )
    return contracts


def _contract_from_application(*, actor, app: Application, seq: int, start: datetime.date) -> Contract:
    ch = app.challenge
    contract = Contract(
        code=f"{ch.code}-{seq:02d}",
        application=app,
        challenge=ch,
        unit=app.unit,
        leader=app.leader,
        title=app.title,
        start_date=start,
        end_date=add_months(start, ch.duration_months),
        budget=app.budget_requested,
        budget_self=app.budget_self,
        team=[{"name": m.name, "title": m.title, "duty": m.duty} for m in app.members.all()],
    )
    contract.full_clean()
    contract.save()
    by_name = {}
    for ind in ch.indicators.all():
        ci = new(
            ContractIndicator,
            contract=contract,
            seq=ind.seq,
            name=ind.name,
            name_en=ind.name_en,
            unit=ind.unit,
            unit_en=ind.unit_en,
            baseline=ind.baseline,
            target=ind.target,
            higher_is_better=ind.higher_is_better,
        )
        by_name[ci.name] = ci
    for pm in app.milestones.all():
        ms = new(
            Milestone,
            contract=contract,
            seq=pm.seq,
            title=pm.title,
            due_date=add_months(start, pm.month),
            tranche=pm.tranche,
        )
        for name, target in (pm.targets or {}).items():
            if name in by_name:
                new(MilestoneValue, milestone=ms, indicator=by_name[name], target=target)
    audit_record(
        actor=actor,
        action="contract.create",
        obj=contract,
        after={
            **snapshot(
                contract,
                ["code", "application_id", "unit_id", "leader_id", "start_date", "end_date", "budget"],
            ),
            "milestones": app.milestones.count(),
            "indicators": len(by_name),
        },
    )
    return contract
