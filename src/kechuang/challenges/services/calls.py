"""Writes for challenge lists (榜单): drafting, publishing, closing, the decision with publicity and
objections, the award that creates contracts, and handing applications to expert review."""

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.accounts.roles import Role
from kechuang.accounts.selectors import users_with_role
from kechuang.core.audit import audit_record, diff, snapshot
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.notifications import notify
from kechuang.core.services import optimistic_save

from .. import permissions, selectors
from ..models import (
    Application,
    Challenge,
    ChallengeIndicator,
    Contract,
    ContractIndicator,
    Milestone,
    MilestoneValue,
    Objection,
    Publicity,
)
from ..workflow import APPLICATION, CHALLENGE, SYSTEM, ApplicationStatus, ChallengeStatus
from ._common import run

CHALLENGE_FIELDS = (
    "code",
    "year",
    "topic",
    "title",
    "problem",
    "goal",
    "budget_ceiling",
    "cofunder",
    "cofund_share",
    "ip_terms",
    "duration_months",
    "eligibility",
    "unit_kinds",
    "max_active_per_leader",
    "deadline",
    "max_winners",
    "downselect_on",
    "criteria",
)
MSG_STAFF_ONLY = _("只有科技厅工作人员可以管理榜单。")


def _require_staff(actor):
    if actor == SYSTEM:
        return
    if not permissions.can_manage_topics(actor):
        raise PermissionDenied(MSG_STAFF_ONLY)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (clamped to the month's last day). Pure."""
    import calendar

    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _set_indicators(challenge: Challenge, indicators: Sequence[dict]) -> None:
    names = [str(i.get("name", "")).strip() for i in indicators]
    if any(not n for n in names):
        raise ApplicationError(_("每项指标都要有名称。"), code="indicator_name")
    if len(set(names)) != len(names):
        raise ApplicationError(_("指标名称不能重复。"), code="indicator_duplicate")
    challenge.indicators.all().delete()
    for seq, data in enumerate(indicators, start=1):
        ind = ChallengeIndicator(
            challenge=challenge,
            seq=seq,
            name=str(data["name"]).strip(),
            unit=data.get("unit", "") or "",
            baseline=data.get("baseline"),
            target=data.get("target"),
            higher_is_better=data.get("higher_is_better", True),
        )
        ind.full_clean(exclude=["challenge"])
        ind.save()


@transaction.atomic
def challenge_create(*, actor, indicators: Sequence[dict] = (), **fields) -> Challenge:
    """Draft a challenge with its target indicators (rows of name, unit, baseline, target). Staff only."""
    _require_staff(actor)
    ch = Challenge(
        created_by=actor if getattr(actor, "pk", None) else None,
        **{k: v for k, v in fields.items() if k in CHALLENGE_FIELDS},
    )
    ch.full_clean()
    ch.save()
    _set_indicators(ch, indicators)
    audit_record(
        actor=actor,
        action="challenge.create",
        obj=ch,
        after={
            **snapshot(
                ch, [f.attname for f in Challenge._meta.concrete_fields if f.name in CHALLENGE_FIELDS]
            ),
            "indicators": [dict(i) for i in indicators],
        },
    )
    return ch


@transaction.atomic
def challenge_update(
    *, actor, challenge: Challenge, expected_version: int, indicators: Sequence[dict] | None = None, **fields
) -> Challenge:
    """Edit a draft challenge (optimistic: refused if someone saved it since `expected_version`)."""
    if not permissions.can_edit_challenge(actor, challenge):
        raise PermissionDenied(_("只能修改草稿状态的榜单。"))
    names = [f.attname for f in Challenge._meta.concrete_fields if f.name in CHALLENGE_FIELDS]
    before = snapshot(challenge, names)
    changed = [k for k in fields if k in CHALLENGE_FIELDS]
    for k in changed:
        setattr(challenge, k, fields[k])
    challenge.full_clean()
    optimistic_save(
        obj=challenge,
        expected_version=expected_version,
        update_fields=[Challenge._meta.get_field(k).attname for k in changed],
    )
    b, a = diff(before, snapshot(challenge, names))
    if indicators is not None:
        b["indicators"] = [
            {"name": i.name, "unit": i.unit, "baseline": i.baseline, "target": i.target}
            for i in challenge.indicators.all()
        ]
        _set_indicators(challenge, indicators)
        a["indicators"] = [dict(i) for i in indicators]
    audit_record(actor=actor, action="challenge.update", obj=challenge, before=b, after=a)
    return challenge


@transaction.atomic
def challenge_publish(*, actor, challenge: Challenge) -> Challenge:
    """Publish a draft (it becomes public). Guards: future deadline, indicators, weights sum to 1, budget."""
    run(
        obj=challenge,
        machine=CHALLENGE,
        action="publish",
        actor=actor,
        ctx={"indicator_count": challenge.indicators.count()},
        extra={"published_at": timezone.now()},
    )
    # In-app only: a published list concerns every unit user, and mass e-mail is the department's call.
    notify(
        recipients=users_with_role(Role.APPLICANT),
        title=_("新榜单发布：%(t)s") % {"t": challenge.title},
        body=_("榜单 %(code)s 已发布，揭榜截止 %(d)s。")
        % {"code": challenge.code, "d": timezone.localtime(challenge.deadline).strftime("%Y-%m-%d %H:%M")},
        url=challenge.get_absolute_url(),
        kind="challenge.published",
        email=False,
    )
    return challenge


@transaction.atomic
def challenge_close(*, actor, challenge: Challenge) -> Challenge:
    """Close submission once the deadline has passed (staff, or the daily job as "system")."""
    run(obj=challenge, machine=CHALLENGE, action="close", actor=actor)
    n = Application.objects.filter(challenge=challenge, status=ApplicationStatus.SUBMITTED).count()
    notify(
        recipients=users_with_role(Role.STAFF),
        title=_("榜单 %(code)s 已截止，%(n)d 份申请待形式审查") % {"code": challenge.code, "n": n},
        url=challenge.get_absolute_url(),
        kind="challenge.closed",
    )
    return challenge


def challenges_close_due(*, actor=SYSTEM, now: datetime.datetime | None = None) -> list[Challenge]:
    """Close every published challenge whose deadline has passed. Returns those closed."""
    now = now or timezone.now()
    closed = []
    for ch in Challenge.objects.filter(status=ChallengeStatus.PUBLISHED, deadline__lte=now):
        challenge_close(actor=actor, challenge=ch)
        closed.append(ch)
    return closed


@transaction.atomic
def challenge_cancel(*, actor, challenge: Challenge, reason: str) -> Challenge:
    """Withdraw a challenge (撤榜) before award, with a reason; open applications are told."""
    run(obj=challenge, machine=CHALLENGE, action="cancel", actor=actor, reason=reason)
    leaders = [a.leader for a in challenge.applications.select_related("leader").exclude(status="draft")]
    notify(
        recipients=leaders,
        title=_("榜单 %(code)s 已撤榜") % {"code": challenge.code},
        body=reason,
        url=challenge.get_absolute_url(),
        kind="challenge.cancelled",
    )
    return challenge


@transaction.atomic
def challenge_finish(*, actor, challenge: Challenge) -> Challenge:
    """Mark an awarded challenge finished once every contract of it has closed."""
    open_contracts = challenge.contracts.filter(status__in=["draft", "in_progress", "acceptance"]).count()
    run(
        obj=challenge, machine=CHALLENGE, action="finish", actor=actor, ctx={"open_contracts": open_contracts}
    )
    return challenge


# Review hand-off --------------------------------------------------------------------------------------


@transaction.atomic
def review_round_start(*, actor, challenge: Challenge, k: int = 3, form=None, experts=None):
    """Create the review round over the challenge's formally passed applications (kechuang.review).

    Every passed application moves to "under review"; the round is returned. Experts are then assigned by
    hand (assignment_create_manual) or by the review app's solver.
    """
    _require_staff(actor)
    if challenge.status != ChallengeStatus.CLOSED:
        raise ApplicationError(_("榜单截止后才能组织专家评审。"), code="not_closed")
    apps = list(Application.objects.filter(challenge=challenge, status=ApplicationStatus.FORMAL_PASSED))
    if not apps:
        raise ApplicationError(_("没有通过形式审查的申请。"), code="nothing_to_review")
    try:
        from kechuang.review import services as review_services
    except ImportError:
        raise ApplicationError(_("专家评审模块尚不可用。"), code="review_unavailable")
    if form is None:
        criteria = [
            {"code": c["code"], "name": c["name"], "weight": float(c["weight"]), "max_score": 100}
            for c in (challenge.criteria or [])
        ]
        form = review_services.form_create(
            actor=actor, name=_("%(code)s 评审表") % {"code": challenge.code}, criteria=criteria
        )
    kwargs = {"experts": experts} if experts is not None else {}
    rnd = review_services.round_create(
        actor=actor,
        title=_("%(code)s %(title)s 专家评审") % {"code": challenge.code, "title": challenge.title},
        subjects=apps,
        form=form,
        k=k,
        **kwargs,
    )
    for app in apps:
        run(obj=app, machine=APPLICATION, action="start_review", actor=actor)
    audit_record(
        actor=actor,
        action="challenge.review_start",
        obj=challenge,
        after={"round": getattr(rnd, "pk", None), "applications": [a.pk for a in apps]},
    )
    return rnd


@transaction.atomic
def review_start_manual(*, actor, challenge: Challenge, note: str = "") -> list[Application]:
    """Move the formally passed applications to expert review without a platform review round (an expert
    panel convened by hand); scores are then entered with review_scores_record. Staff only."""
    _require_staff(actor)
    if challenge.status != ChallengeStatus.CLOSED:
        raise ApplicationError(_("榜单截止后才能组织专家评审。"), code="not_closed")
    apps = list(Application.objects.filter(challenge=challenge, status=ApplicationStatus.FORMAL_PASSED))
    if not apps:
        raise ApplicationError(_("没有通过形式审查的申请。"), code="nothing_to_review")
    for app in apps:
        run(obj=app, machine=APPLICATION, action="start_review", actor=actor, reason=note)
    audit_record(
        actor=actor,
        action="challenge.review_start",
        obj=challenge,
        after={"round": None, "applications": [a.pk for a in apps], "manual": True},
        reason=note,
    )
    return apps


def review_round_of(challenge: Challenge):
    """The review round created for this challenge, found through the audit trail (or None)."""
    from kechuang.core.audit import audit_trail_for

    event = audit_trail_for(challenge).filter(action="challenge.review_start").first()
    if event is None or not (event.after or {}).get("round"):
        return None
    try:
        from kechuang.review.models import Round
    except ImportError:
        return None
    return Round.objects.filter(pk=event.after["round"]).first()


@transaction.atomic
def review_scores_record(*, actor, challenge: Challenge, scores: dict[int, float | None]) -> None:
    """Store each application's review score and rank (from the review app's ranking) on the application."""
    _require_staff(actor)
    ranked = sorted(((s, pk) for pk, s in scores.items() if s is not None), reverse=True)
    ranks = {pk: i for i, (_s, pk) in enumerate(ranked, start=1)}
    for app in Application.objects.filter(challenge=challenge, pk__in=list(scores)):
        before = {"review_score": app.review_score, "review_rank": app.review_rank}
        s = scores[app.pk]
        app.review_score = round(s, 2) if s is not None else None
        app.review_rank = ranks.get(app.pk)
        app.save(update_fields=["review_score", "review_rank", "updated_at"])
        audit_record(
            actor=actor,
            action="application.review_score",
            obj=app,
            before=before,
            after={"review_score": app.review_score, "review_rank": app.review_rank},
        )


# Decision, publicity, objections, award ------------------------------------------------------------------


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
) -> Publicity:
    """Propose the winners (拟立项), decline the other reviewed applications and open the publicity period.

    Racing challenges may propose up to `max_winners`; the others get `reason_others` as their reason.
    """
    _require_staff(actor)
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
    if days < 5:
        raise ApplicationError(_("公示期不少于 5 天。"), code="publicity_short")
    starts_on = starts_on or timezone.localdate()
    winner_ids = {w.pk for w in winners}
    for w in winners:
        run(obj=w, machine=APPLICATION, action="propose", actor=actor)
    others = Application.objects.filter(challenge=challenge, status=ApplicationStatus.UNDER_REVIEW).exclude(
        pk__in=winner_ids
    )
    for app in others:
        run(
            obj=app,
            machine=APPLICATION,
            action="reject",
            actor=actor,
            reason=reason_others or _("经专家评审未入选。"),
        )
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
        action="challenge.decision_publish",
        obj=challenge,
        after={"winners": sorted(winner_ids), "publicity": [pub.starts_on, pub.ends_on]},
    )
    for app in (
        Application.objects.filter(challenge=challenge).exclude(status="draft").select_related("leader")
    ):
        notify(
            recipients=[app.leader],
            title=_("榜单 %(code)s 立项评审结果") % {"code": challenge.code},
            body=_("您的申请状态：%(s)s。公示期 %(a)s 至 %(b)s。")
            % {"s": app.get_status_display(), "a": pub.starts_on, "b": pub.ends_on},
            url=app.get_absolute_url(),
            kind="application.decision",
        )
    return pub


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
        title=_("公示异议待答复：%(app)s") % {"app": application.title},
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
    objection.status = Objection.Status.UPHELD if upheld else Objection.Status.DISMISSED
    objection.answer = answer.strip()
    objection.answered_by = actor
    objection.answered_at = timezone.now()
    objection.full_clean()
    objection.save(update_fields=["status", "answer", "answered_by", "answered_at", "updated_at"])
    audit_record(
        actor=actor,
        action="objection.answer",
        obj=objection,
        before={"status": "open"},
        after={"status": objection.status, "answer": objection.answer},
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
            title=_("您提出的异议已答复"),
            body=objection.answer,
            url=objection.publicity.get_absolute_url(),
            kind="objection.answered",
        )
    return objection


@transaction.atomic
def award_confirm(*, actor, challenge: Challenge, start_date: datetime.date | None = None) -> list[Contract]:
    """After publicity with every objection answered: award the proposed applications, mark the challenge
    awarded and draft one contract (任务书) per winner from its application. Award notices go out."""
    _require_staff(actor)
    pub = getattr(challenge, "publicity", None)
    proposed = list(
        Application.objects.filter(challenge=challenge, status=ApplicationStatus.PROPOSED).select_related(
            "leader", "unit"
        )
    )
    ctx = {
        "publicity_ends": pub.ends_on if pub else None,
        "open_objections": selectors.objections_open(challenge),
        "proposed_count": len(proposed),
    }
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
                "open_objections": selectors.objections_open_for(app),
            },
        )
        contracts.append(_contract_from_application(actor=actor, app=app, seq=n, start=start))
        notify(
            recipients=[app.leader],
            title=_("立项通知：%(t)s") % {"t": app.title},
            body=_("您的揭榜申请已立项，请与项目专员签订任务书。"),
            url=contracts[-1].get_absolute_url(),
            kind="application.awarded",
        )
    notify(
        recipients=users_with_role(Role.STAFF),
        title=_("榜单 %(code)s 已立项，请为任务书指定项目专员") % {"code": challenge.code},
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
        ci = ContractIndicator.objects.create(
            contract=contract,
            seq=ind.seq,
            name=ind.name,
            unit=ind.unit,
            baseline=ind.baseline,
            target=ind.target,
            higher_is_better=ind.higher_is_better,
        )
        by_name[ci.name] = ci
    for pm in app.milestones.all():
        ms = Milestone.objects.create(
            contract=contract,
            seq=pm.seq,
            title=pm.title,
            due_date=add_months(start, pm.month),
            tranche=pm.tranche,
        )
        for name, target in (pm.targets or {}).items():
            if name in by_name:
                MilestoneValue.objects.create(milestone=ms, indicator=by_name[name], target=target)
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
