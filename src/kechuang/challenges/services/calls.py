"""Writes for challenge lists (榜单): drafting, publishing, closing, cancelling, finishing, and handing the
formally passed applications to expert review. (The decision, publicity and award: decisions.py.)"""

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from kechuang.accounts.selectors import users_with_role
from kechuang.core.audit import audit_record, diff, snapshot
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.messages import Message, in_both
from kechuang.core.notifications import notify
from kechuang.core.roles import SYSTEM, Role, require_role
from kechuang.core.services import english_name_set, optimistic_save, stale_conflict
from kechuang.review import services as review_services
from kechuang.review.models import Round, RoundSubject

from .. import permissions, programme
from ..models import (
    Application,
    Challenge,
    ChallengeIndicator,
)
from ..workflow import APPLICATION, CHALLENGE, ApplicationStatus, ChallengeStatus
from ._common import run

CHALLENGE_FIELDS = (
    "code",
    "year",
    "topic",
    "title",
    "title_en",
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
MSG_STAFF_ONLY = gettext_lazy("只有科技厅工作人员可以管理榜单。")


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
            name_en=str(data.get("name_en") or "").strip(),
            unit=data.get("unit", "") or "",
            unit_en=str(data.get("unit_en") or "").strip(),
            baseline=data.get("baseline"),
            target=data.get("target"),
            higher_is_better=data.get("higher_is_better", True),
        )
        ind.full_clean(exclude=["challenge"])
        ind.save()


@transaction.atomic
def challenge_create(*, actor, indicators: Sequence[dict] = (), **fields) -> Challenge:
    """Draft a challenge with its target indicators (rows of name, unit, baseline, target). Staff only.
    The list pins the newest published 揭榜挂帅 programme version (seeded if there is none yet)."""
    require_role(actor, Role.STAFF, message=MSG_STAFF_ONLY)
    ch = Challenge(
        created_by=actor if getattr(actor, "pk", None) else None,
        programme_version=programme.seed(),
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
            "programme_version": ch.programme_version_id,
        },
    )
    return ch


@transaction.atomic
def challenge_translate(*, actor, challenge: Challenge, title_en: str) -> Challenge:
    """Set or clear a challenge's English name at any status (a rendering of the title for English pages, not
    a change of the list's terms, which are fixed once published). Staff only; audited as
    `challenge.name_translate` (core.services.english_name_set); the version steps when it changed, so a form
    read before (the English names page, a draft's edit form) is refused as stale, not saved over it."""
    require_role(actor, Role.STAFF, message=MSG_STAFF_ONLY)
    before = Challenge.objects.select_for_update().values_list("title_en", flat=True).get(pk=challenge.pk)
    saved = english_name_set(
        actor=actor, obj=challenge, field="title_en", text=title_en, action="challenge.name_translate"
    )
    if saved.title_en != before:
        Challenge.objects.filter(pk=saved.pk).update(version=F("version") + 1)
        saved.version += 1
    return saved


@transaction.atomic
def indicator_names_translate(*, actor, challenge: Challenge, names: dict) -> int:
    """Set or clear the English names of a challenge's target indicators at any status, and of the same
    indicators in its contracts (`names`: {Chinese name: English name}; an indicator not named is left as it
    is): a rendering for English pages, not a change of the list's or the contract's terms. Staff only; each
    indicator audited as `challenge.indicator_name_translate` (core.services.english_name_set). Returns how
    many changed."""
    require_role(actor, Role.STAFF, message=MSG_STAFF_ONLY)
    from ..models import ContractIndicator

    changed = 0
    rows = [*challenge.indicators.all(), *ContractIndicator.objects.filter(contract__challenge=challenge)]
    for ind in rows:
        if ind.name in names and (names[ind.name] or "").strip() != ind.name_en:
            english_name_set(
                actor=actor, obj=ind, text=names[ind.name], action="challenge.indicator_name_translate"
            )
            changed += 1
    if changed:  # a form read before (the English names page) is refused as stale, not saved over it
        Challenge.objects.filter(pk=challenge.pk).update(version=F("version") + 1)
    return changed


@transaction.atomic
def indicator_units_translate(*, actor, challenge: Challenge, units: dict) -> int:
    """Set or clear the English form of the units of a challenge's target indicators at any status, and of the
    same indicators in its contracts (`units`: {Chinese unit: English unit}; an indicator whose unit is not
    named is left as it is; an empty English form falls back to core.units' table on English pages): a
    rendering, not a change of the terms. Staff only; each indicator audited as
    `challenge.indicator_unit_translate` (core.services.english_name_set). Returns how many changed."""
    require_role(actor, Role.STAFF, message=MSG_STAFF_ONLY)
    from ..models import ContractIndicator

    changed = 0
    rows = [*challenge.indicators.all(), *ContractIndicator.objects.filter(contract__challenge=challenge)]
    for ind in rows:
        if ind.unit in units and (units[ind.unit] or "").strip() != ind.unit_en:
            english_name_set(
                actor=actor,
                obj=ind,
                field="unit_en",
                text=units[ind.unit],
                action="challenge.indicator_unit_translate",
            )
            changed += 1
    if changed:  # a form read before (the English names page) is refused as stale, not saved over it
        Challenge.objects.filter(pk=challenge.pk).update(version=F("version") + 1)
    return changed


MSG_ENGLISH_DRAFT = gettext_lazy("草稿的英文名称和单位在“编辑”页与中文一起填写。")


@transaction.atomic
def challenge_english_set(
    *, actor, challenge: Challenge, expected_version: int, title_en: str, indicators: dict[int, dict]
) -> int:
    """Set or clear a published challenge's English name and its target indicators' English names and units
    at once (`indicators`: {indicator id: {"name_en", "unit_en"}}; an indicator not named, or a key not given,
    is left as it is): a rendering for English pages, not a change of the list's terms. Staff only, after
    publication (a draft's are typed on its edit form); refused as stale when the challenge changed since
    `expected_version` was read. Each field that changes is audited (`challenge.name_translate`,
    `challenge.indicator_name_translate`, `challenge.indicator_unit_translate`) and the challenge's version
    steps once.

    Copies made earlier follow where they still carry the challenge's English as it was (or none): the
    contracts' indicators of the same name (and unit), and through the hook
    `challenges.contract_indicator_english` a project evaluation's leaves made from them. A copy whose English
    was changed on its own keeps it. Returns how many fields changed (copies not counted)."""
    from kechuang.core import hooks

    from ..models import ContractIndicator

    require_role(actor, Role.STAFF, message=MSG_STAFF_ONLY)
    locked = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if locked.status == ChallengeStatus.DRAFT:
        raise ApplicationError(MSG_ENGLISH_DRAFT, code="draft")
    if locked.version != expected_version:
        locked.title_en = (title_en or "").strip()
        raise stale_conflict(obj=locked, update_fields=["title_en"])
    changed = 0
    if (title_en or "").strip() != locked.title_en:
        english_name_set(
            actor=actor, obj=locked, field="title_en", text=title_en, action="challenge.name_translate"
        )
        changed += 1
    copies = list(ContractIndicator.objects.filter(contract__challenge=locked).select_for_update())
    followed: dict[int, tuple[ContractIndicator, dict]] = {}  # contract indicator id: (row, English before)
    for ind in locked.indicators.all():
        posted = indicators.get(ind.pk) or {}
        for field, action in (
            ("name_en", "challenge.indicator_name_translate"),
            ("unit_en", "challenge.indicator_unit_translate"),
        ):
            if field not in posted or (posted[field] or "").strip() == getattr(ind, field):
                continue
            before = getattr(ind, field)
            ind = english_name_set(actor=actor, obj=ind, field=field, text=posted[field], action=action)
            changed += 1
            for copy in copies:
                same = copy.name == ind.name and (field == "name_en" or copy.unit == ind.unit)
                if not same or getattr(copy, field) not in ("", before):
                    continue
                followed.setdefault(copy.pk, (copy, {"name_en": copy.name_en, "unit_en": copy.unit_en}))
                saved = english_name_set(
                    actor=actor, obj=copy, field=field, text=getattr(ind, field), action=action
                )
                setattr(copy, field, getattr(saved, field))
    if followed:
        hooks.fire("challenges.contract_indicator_english", actor=actor, changes=list(followed.values()))
    if changed:
        Challenge.objects.filter(pk=locked.pk).update(version=F("version") + 1)
        challenge.version = locked.version + 1
    return changed


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
        title=Message(gettext_noop("新榜单发布：%(t)s"), t=challenge.title),
        body=Message(
            gettext_noop("榜单 %(code)s 已发布，揭榜截止 %(d)s。"), code=challenge.code, d=challenge.deadline
        ),
        url=challenge.get_absolute_url(),
        kind="challenge.published",
        email=False,
    )
    return challenge


@transaction.atomic
def challenge_close(*, actor, challenge: Challenge) -> Challenge:
    """Close submission once the deadline has passed (staff, or the daily job as core.roles.SYSTEM)."""
    run(obj=challenge, machine=CHALLENGE, action="close", actor=actor)
    n = Application.objects.filter(challenge=challenge, status=ApplicationStatus.SUBMITTED).count()
    notify(
        recipients=users_with_role(Role.STAFF),
        title=Message(gettext_noop("榜单 %(code)s 已截止，%(n)d 份申请待形式审查"), code=challenge.code, n=n),
        url=challenge.get_absolute_url(),
        kind="challenge.closed",
    )
    return challenge


def challenges_close_due(*, actor=SYSTEM, now: datetime.datetime | None = None) -> list[Challenge]:
    """Close every published challenge whose deadline has passed (staff, or the daily job as
    core.roles.SYSTEM). Returns those closed."""
    require_role(actor, Role.STAFF, message=MSG_STAFF_ONLY)
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
        title=Message(gettext_noop("榜单 %(code)s 已撤榜"), code=challenge.code),
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


def _sheet_criteria(challenge, maxima):
    """The list's criteria as a review form's, each criterion whose code is a scored field of the sheet taking
    that field's maximum (技术先进性 40 分), else 100."""
    return [
        {
            "code": c["code"],
            "name": c["name"],
            "name_en": c.get("name_en", ""),
            "weight": float(c["weight"]),
            "max_score": maxima.get(c["code"], 100),
        }
        for c in (challenge.criteria or [])
    ]


def _round_create(*, actor, challenge, sheet, form, form_name, title, subjects, k, experts):
    """A review Round (kechuang.review) of the list over `subjects`, scored on `sheet` (a form version of the
    list's programme version): on `form`, or on a review form made from the list's criteria (`_sheet_criteria`)
    named `form_name`; titled `title` (`form_name` and `title` are msgids, stored in both languages)."""
    if form is None:
        name, name_en = in_both(form_name, code=challenge.code)
        criteria = _sheet_criteria(challenge, programme.scored_maxima(sheet))
        form = review_services.form_create(actor=actor, name=name, name_en=name_en, criteria=criteria)
    kwargs = {"experts": experts} if experts is not None else {}
    title, title_en = in_both(title, code=challenge.code, title=(challenge.title, challenge.title_en))
    return review_services.round_create(
        actor=actor,
        title=title,
        title_en=title_en,
        subjects=subjects,
        form=form,
        k=k,
        sheet=sheet,
        **kwargs,
    )


@transaction.atomic
def review_round_start(*, actor, challenge: Challenge, k: int = 3, form=None, experts=None):
    """Create the review round over the challenge's formally passed applications (kechuang.review).

    Every passed application moves to "under review"; the round is returned. Experts are then assigned by
    hand (assignment_create_manual) or by the review app's solver.
    """
    require_role(actor, Role.STAFF, message=MSG_STAFF_ONLY)
    if challenge.status != ChallengeStatus.CLOSED:
        raise ApplicationError(_("榜单截止后才能组织专家评审。"), code="not_closed")
    if challenge.review_round_id:
        raise ApplicationError(_("本榜单已创建评审轮次。"), code="round_exists")
    apps = list(Application.objects.filter(challenge=challenge, status=ApplicationStatus.FORMAL_PASSED))
    if not apps:
        raise ApplicationError(_("没有通过形式审查的申请。"), code="nothing_to_review")
    # The experts' scoring sheet is the review form of the list's 揭榜挂帅 version (issue #18): a criterion
    # whose code is one of its scored fields takes that field's maximum (技术先进性 40 分).
    rnd = _round_create(
        actor=actor,
        challenge=challenge,
        sheet=programme.review_form(challenge.programme_version),
        form=form,
        form_name=gettext_noop("%(code)s 评审表"),
        title=gettext_noop("%(code)s %(title)s 专家评审"),
        subjects=apps,
        k=k,
        experts=experts,
    )
    for app in apps:
        run(obj=app, machine=APPLICATION, action="start_review", actor=actor)
    Challenge.objects.filter(pk=challenge.pk).update(review_round_id=rnd.pk, updated_at=timezone.now())
    challenge.review_round_id = rnd.pk
    audit_record(
        actor=actor,
        action="challenge.review_start",
        obj=challenge,
        before={"review_round_id": None},
        after={"review_round_id": rnd.pk, "applications": [a.pk for a in apps]},
    )
    return rnd


@transaction.atomic
def review_start_manual(*, actor, challenge: Challenge, note: str = "") -> list[Application]:
    """Move the formally passed applications to expert review without a platform review round (an expert
    panel convened by hand); scores are then entered with review_scores_record. Staff only."""
    require_role(actor, Role.STAFF, message=MSG_STAFF_ONLY)
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
    """The kechuang.review Round created for this challenge, or None (none yet)."""
    if not challenge.review_round_id:
        return None
    return Round.objects.filter(pk=challenge.review_round_id).first()


@transaction.atomic
def review_scores_record(*, actor, challenge: Challenge, scores: dict[int, float | None]) -> None:
    """Store each application's review score and rank (from the review app's ranking) on the application."""
    require_role(actor, Role.STAFF, message=MSG_STAFF_ONLY)
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


# The 答辩 (defence) round: a second expert review of the shortlisted applications (issue #18) ------------------


@transaction.atomic
def defence_round_start(*, actor, challenge: Challenge, applications, k: int = 3, experts=None):
    """Open the 答辩 round of a list whose version has a second review stage after the letter review: a
    kechuang.review Round (conflicts of interest and integrity exclusions are the review app's) over the
    shortlisted applications, scored on that stage's review form version. The letter review's scores must
    be recorded first; the shortlist is of applications under review. Audited with the shortlist."""
    require_role(actor, Role.STAFF, message=MSG_STAFF_ONLY)
    if not challenge.has_defence:
        raise ApplicationError(_("本榜单的计划类别版本没有答辩环节。"), code="no_defence_stage")
    if challenge.status != ChallengeStatus.CLOSED:
        raise ApplicationError(_("榜单截止后才能组织答辩。"), code="not_closed")
    if challenge.defence_round_id:
        raise ApplicationError(_("本榜单已创建答辩评审轮次。"), code="round_exists")
    under = list(Application.objects.filter(challenge=challenge, status=ApplicationStatus.UNDER_REVIEW))
    if not under:
        raise ApplicationError(_("没有专家评审中的申请。"), code="nothing_to_review")
    if any(a.review_score is None for a in under):
        raise ApplicationError(
            _("请先登记第一轮专家评审的得分和排名，再按排名确定答辩名单。"), code="no_review_scores"
        )
    wanted = {a.pk for a in applications}
    shortlist = [a for a in under if a.pk in wanted]
    if not shortlist or len(shortlist) != len(wanted):
        raise ApplicationError(_("答辩名单须是本榜单专家评审中的申请，且至少一项。"), code="bad_shortlist")
    rnd = _round_create(
        actor=actor,
        challenge=challenge,
        sheet=programme.defence_form(challenge.programme_version),
        form=None,
        form_name=gettext_noop("%(code)s 答辩评审表"),
        title=gettext_noop("%(code)s %(title)s 答辩"),
        subjects=shortlist,
        k=k,
        experts=experts,
    )
    Challenge.objects.filter(pk=challenge.pk).update(defence_round_id=rnd.pk, updated_at=timezone.now())
    challenge.defence_round_id = rnd.pk
    audit_record(
        actor=actor,
        action="challenge.defence_start",
        obj=challenge,
        before={"defence_round_id": None},
        after={"defence_round_id": rnd.pk, "shortlist": sorted(a.pk for a in shortlist)},
    )
    return rnd


def defence_round_of(challenge: Challenge):
    """The 答辩 Round of this list, or None."""
    if not challenge.defence_round_id:
        return None
    return Round.objects.filter(pk=challenge.defence_round_id).first()


@transaction.atomic
def defence_scores_record(*, actor, challenge: Challenge, scores: dict[int, float | None]) -> None:
    """Store each shortlisted application's 答辩 score and rank (the defence round's trimmed means, or typed
    from a panel's sheet). Only applications of the defence round; audited on each."""
    require_role(actor, Role.STAFF, message=MSG_STAFF_ONLY)
    rnd = defence_round_of(challenge)
    if rnd is None:
        raise ApplicationError(_("请先创建答辩评审轮次。"), code="no_defence_round")
    shortlisted = set(RoundSubject.objects.filter(round=rnd).values_list("object_id", flat=True))
    stray = [pk for pk in scores if pk not in shortlisted]
    if stray:
        raise ApplicationError(_("申请 %(k)s 不在答辩名单中。") % {"k": stray[0]}, code="not_shortlisted")
    ranked = sorted(((s, pk) for pk, s in scores.items() if s is not None), reverse=True)
    ranks = {pk: i for i, (_s, pk) in enumerate(ranked, start=1)}
    for app in Application.objects.filter(challenge=challenge, pk__in=list(scores)):
        before = {"defence_score": app.defence_score, "defence_rank": app.defence_rank}
        s = scores[app.pk]
        app.defence_score = round(s, 2) if s is not None else None
        app.defence_rank = ranks.get(app.pk)
        app.save(update_fields=["defence_score", "defence_rank", "updated_at"])
        audit_record(
            actor=actor,
            action="application.defence_score",
            obj=app,
            before=before,
            after={"defence_score": app.defence_score, "defence_rank": app.defence_rank},
        )
