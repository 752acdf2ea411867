"""Review rounds and their scoring forms: create, move through the round machine; external subjects."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TypedDict, Unpack

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kechuang.core.audit import audit_record, snapshot
from kechuang.core.exceptions import ApplicationError
from kechuang.core.messages import Message
from kechuang.core.notifications import notify
from kechuang.core.roles import Role, require_role, roles_of
from kechuang.core.services import transition_apply

from .. import selectors, workflow
from ..models import (
    Assignment,
    Criterion,
    ExpertCredit,
    ExpertProfile,
    ExternalSubject,
    Review,
    ReviewForm,
    Round,
    RoundSubject,
)
from ._common import ONLY_STAFF
from .experts import expert_credit_record

# a round subject's title and English title, as their columns
_TITLE_LENGTH = min(RoundSubject._meta.get_field(f).max_length for f in ("title", "title_en"))


@transaction.atomic
def form_create(
    *, actor, name: str, criteria: list[dict], description: str = "", scale: int = 100, name_en: str = ""
) -> ReviewForm:
    """A scoring form with its weighted criteria; `name_en` and a criterion's "name_en" are the optional English
    forms shown on English pages.

    criteria: [{"code": "tech", "name": "技术先进性", "name_en": "Technical advancement", "weight": 0.4,
    "max_score": 100, "anchors": "..."}]"""
    require_role(actor, Role.STAFF, message=_(ONLY_STAFF))
    if not criteria:
        raise ApplicationError(_("评分表至少需要一个评分指标。"), code="invalid")
    form = ReviewForm(name=name, name_en=name_en, description=description, scale=scale)
    form.full_clean()
    form.save()
    codes = set()
    for i, c in enumerate(criteria):
        if c["code"] in codes:
            raise ApplicationError(_("评分指标代码重复：%(code)s") % {"code": c["code"]}, code="invalid")
        codes.add(c["code"])
        try:
            weight = Decimal(str(c.get("weight", 1)))
        except InvalidOperation:
            raise ApplicationError(_("权重必须是数字。"), code="invalid")
        crit = Criterion(
            form=form,
            code=c["code"],
            name=c["name"],
            name_en=(c.get("name_en") or "").strip(),
            weight=weight,
            max_score=int(c.get("max_score", 100)),
            anchors=c.get("anchors", ""),
            order=i,
        )
        crit.full_clean()
        crit.save()
    audit_record(
        actor=actor, action="review_form.create", obj=form, after={"name": name, "criteria": criteria}
    )
    return form


@dataclass(frozen=True, kw_only=True)
class RoundSettings:
    """How a round assigns: `k` experts per subject, each expert's load between `min_load` and `max_load`,
    the solver's `mode` and `seed`, the conflict rules (years of a past tie, same city), the due date, and
    the fair mode's `leximin_depth` (how many worst-off levels it lifts in turn; 1 = max-min)."""

    k: int = 3
    min_load: int = 0
    max_load: int = 6
    mode: str = "optimal"
    conflict_years: int = 5
    same_city_rule: bool = False
    seed: int | None = None
    due: datetime.date | None = None
    leximin_depth: int = 1


class RoundOptions(TypedDict, total=False):
    """RoundSettings' fields given one by one: `round_create(..., k=2, max_load=2)`."""

    k: int
    min_load: int
    max_load: int
    mode: str
    conflict_years: int
    same_city_rule: bool
    seed: int | None
    due: datetime.date | None
    leximin_depth: int


@transaction.atomic
def round_create(
    *,
    actor,
    title: str,
    title_en: str = "",
    subjects: Sequence[models.Model],
    form: ReviewForm,
    settings: RoundSettings | None = None,
    experts: models.QuerySet[ExpertProfile] | None = None,
    sheet=None,
    **options: Unpack[RoundOptions],
) -> Round:
    """A round over reviewable objects of one kind. Stores each subject's facts (what conflicts and
    affinity read) so the round can be re-run and audited later. The expert pool defaults to every
    approved, available expert. `settings` (or its fields given as keywords, which override it) say how
    the round assigns. `sheet` is the review form version (kechuang.programmes) the experts' scoring sheet is
    rendered from (review/sheet.py); without it the sheet is the form's criteria and the code's fields."""
    require_role(actor, Role.STAFF, message=_(ONLY_STAFF))
    settings = dataclasses.replace(settings or RoundSettings(), **options)
    subjects = list(subjects)
    if not subjects:
        raise ApplicationError(_("评审轮次至少需要一个评审对象。"), code="invalid")
    types = {ContentType.objects.get_for_model(s) for s in subjects}
    if len(types) != 1:
        raise ApplicationError(_("一个评审轮次只能评审同一类对象。"), code="invalid")
    for s in subjects:
        if not hasattr(s, "review_subject"):
            raise ApplicationError(_("该对象不支持专家评审。"), code="invalid")
    rnd = Round(
        title=title,
        title_en=title_en,
        form=form,
        sheet=sheet,
        subject_type=types.pop(),
        **dataclasses.asdict(settings),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    rnd.full_clean()
    rnd.save()
    pool = experts if experts is not None else ExpertProfile.objects.filter(status="approved", available=True)
    rnd.experts.set(list(pool))
    facts = [selectors.subject_facts(s) for s in subjects]
    # each subject's title as of now, to the columns' length (a challenge's or a call's own title: never longer)
    titles_en = [str(f.pop("title_en", ""))[:_TITLE_LENGTH] for f in facts]
    RoundSubject.objects.bulk_create(
        [
            RoundSubject(
                round=rnd,
                content_type=rnd.subject_type,
                object_id=s.pk,
                title=str(f["title"])[:_TITLE_LENGTH],
                title_en=title_en,
                facts=f,
                order=i,
            )
            for i, (s, f, title_en) in enumerate(zip(subjects, facts, titles_en, strict=True))
        ]
    )
    audit_record(
        actor=actor,
        action="round.create",
        obj=rnd,
        after={
            **snapshot(
                rnd,
                [
                    "title",
                    "form_id",
                    "sheet_id",
                    "k",
                    "min_load",
                    "max_load",
                    "mode",
                    "conflict_years",
                    "same_city_rule",
                    "seed",
                    "leximin_depth",
                ],
            ),
            "subjects": len(subjects),
            "experts": rnd.experts.count(),
        },
    )
    return rnd


SETTINGS_EDITABLE = (Round.Status.DRAFT, Round.Status.ASSIGNED)
EDITABLE_SETTINGS = ("mode", "leximin_depth")


@transaction.atomic
def round_settings_update(*, actor, round: Round, **changes) -> Round:
    """Change how a round assigns (`EDITABLE_SETTINGS`: the mode and the fair mode's `leximin_depth`)
    while it can still be assigned (draft or assigned; the next assignment uses them). Validated by the
    model (depth 1..LEXIMIN_DEPTH_MAX), audited with the values before and after."""
    require_role(actor, Role.STAFF, message=_(ONLY_STAFF))
    unknown = set(changes) - set(EDITABLE_SETTINGS)
    if unknown:
        raise ApplicationError(_("这些分配设置不能在此修改。"), code="invalid")
    rnd = Round.objects.select_for_update().get(pk=round.pk)
    if rnd.status not in SETTINGS_EDITABLE:
        raise ApplicationError(_("评审已开始，分配设置不能再修改。"), code="invalid_state", status=409)
    before = snapshot(rnd, list(EDITABLE_SETTINGS))
    for name, value in changes.items():
        setattr(rnd, name, value)
    rnd.full_clean(exclude=["experts"])
    rnd.save(update_fields=[*changes, "updated_at"])
    after = snapshot(rnd, list(EDITABLE_SETTINGS))
    if after != before:
        audit_record(actor=actor, action="round.settings", obj=rnd, before=before, after=after)
    round.refresh_from_db()
    return rnd


@transaction.atomic
def round_transition(*, actor, round: Round, action: str, reason: str = "") -> Round:
    """Start reviewing (notifies every assigned expert), move to the panel (reviews still open after the
    due date are recorded as late on the experts' credit records), reopen or close a round."""
    require_role(actor, Role.STAFF, message=_(ONLY_STAFF))
    transition_apply(
        obj=round,
        machine=workflow.ROUND,
        action=action,
        actor=actor,
        roles=roles_of(actor),
        reason=reason,
        ctx=selectors.round_facts(round),
    )
    if action == "panel" and round.due and round.due < timezone.localdate():
        # Reviews still open after the due date go on the expert's credit record.
        late = Review.objects.filter(
            assignment__round=round, assignment__status="active", status__in=["pending", "opened"]
        ).select_related("assignment__expert")
        for review in late:
            profile = ExpertProfile.objects.filter(user=review.assignment.expert).first()
            if profile is not None:
                expert_credit_record(
                    actor=actor,
                    profile=profile,
                    kind=ExpertCredit.Kind.LATE,
                    round=round,
                    note=_("“%(round)s”逾期未提交评审（截止%(due)s）。")
                    % {"round": round.title, "due": round.due},
                )
    if action == "start":
        experts = {
            a.expert for a in Assignment.objects.filter(round=round, status="active").select_related("expert")
        }
        notify(
            recipients=experts,
            title=Message(gettext_noop("请完成评审：%(t)s"), t=round.title),
            body=Message(gettext_noop("您有新的评审任务，请先声明无利益冲突再开始评审。")),
            url="/review/my/",
            kind="review.assignment",
        )
    return round


@transaction.atomic
def external_subject_create(*, actor, title: str, excluded_units=(), **fields):
    """A reviewed item entered directly in review (staff)."""
    require_role(actor, Role.STAFF, message=_(ONLY_STAFF))
    obj = ExternalSubject(title=title, **fields)
    obj.full_clean()
    obj.save()
    if excluded_units:
        obj.excluded_units.set(excluded_units)
    audit_record(actor=actor, action="external_subject.create", obj=obj, after=snapshot(obj))
    return obj
