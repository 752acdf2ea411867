"""The expert review of a programme call's 函评 and 会评/答辩 stages (issue #18): staff open a round over the
call's formal applications at the stage, on the review form version the stage names; the solver assigns k
experts per submission (conflict of interest and integrity restrictions as in every round); experts score;
staff release an expert from a review with a reason; the stage closes only when every assignment is scored
or released (`stage_refusals`, answered to programmes through `programmes.reviews`)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kechuang.core.audit import audit_record
from kechuang.core.exceptions import ApplicationError
from kechuang.core.limits import checked_text
from kechuang.core.lists import listed
from kechuang.core.messages import Message, in_both
from kechuang.core.notifications import notify
from kechuang.core.roles import Role, require_role, roles_of
from kechuang.core.services import transition_apply
from kechuang.programmes import selectors as programme_selectors
from kechuang.programmes import workflow as programme_workflow
from kechuang.programmes.models import Call, CallStatus, FormVersion, Submission

from .. import selectors, workflow
from ..models import REASON_LENGTH, Assignment, CallStageRound, ExpertProfile, ReviewForm, Round
from ._common import ONLY_STAFF
from .assignment import round_assign
from .rounds import form_create, round_create, round_transition


def _refuse(message: str, code: str = "invalid") -> ApplicationError:
    return ApplicationError(message, code=code)


def form_criteria(version: FormVersion) -> list[dict]:
    """The scoring criteria of a programmes review form version: each number field with a maximum is a
    criterion (its stable key the code, its label the name, its maximum the full score), weighted by its
    maximum's share, so the weighted total on a 100 scale is the sum of the scores over the sum of the
    maxima. The form's other fields (comments, a recommendation) are the review's own."""
    out = []
    for spec in version.fields:
        try:
            top = Decimal(str(spec.get("max") or 0))
        except ArithmeticError:
            continue
        if spec.get("kind") == "number" and top > 0:
            out.append(
                {
                    "code": spec["key"],
                    "name": spec.get("label", ""),
                    "name_en": spec.get("label_en", ""),
                    "max": top,
                }
            )
    total = sum((c["max"] for c in out), Decimal(0))
    return [
        {
            "code": c["code"],
            "name": c["name"],
            "name_en": c["name_en"],
            "weight": (c["max"] / total).quantize(Decimal("0.0001")),
            "max_score": int(c["max"]),
            "anchors": "",
        }
        for c in out
    ]


def _stage_names(stage: dict) -> tuple[str, str]:
    """A stage's name in Chinese and in English (its English form, else its Chinese, else its kind's name)."""
    with translation.override(settings.LANGUAGE_CODE):
        zh = programme_workflow.stage_name(stage)
    with translation.override("en"):
        return zh, programme_workflow.stage_name(stage)


def review_form_for(*, actor, version: FormVersion) -> ReviewForm:
    """The scoring form of a published programmes review form version (one per version, made once)."""
    name, name_en = in_both(
        gettext_noop("%(form)s（第%(n)s版）"),
        form=(version.definition.name, version.definition.name_en),
        n=version.number,
    )
    existing = ReviewForm.objects.filter(name=name).first()
    if existing is not None:
        return existing
    criteria = form_criteria(version)
    if not criteria:
        raise _refuse(
            _("评审表“%(form)s”没有带满分的数字评分项，不能用于专家打分。")
            % {"form": version.definition.name},
            "no_criteria",
        )
    with translation.override(settings.LANGUAGE_CODE):
        description = _("由计划类别的评审表生成。")
    return form_create(actor=actor, name=name, name_en=name_en, criteria=criteria, description=description)


def call_review_subjects(call: Call) -> list[Submission]:
    """What the current review stage of `call` reviews: the formal applications (each submitter's latest
    submission at a 正式申报 stage), in the order they came in; with a 形式审查 stage in the call's
    definition, only those it passed; at a 答辩 after a 函评, only those shortlisted for it
    (programmes.selectors.review_subjects)."""
    stage = call.stage
    if not stage:
        return []
    return programme_selectors.review_subjects(call, stage)


@transaction.atomic
def call_review_open(
    *,
    actor,
    call: Call,
    k: int = 3,
    max_load: int = 6,
    mode: str = Round.Mode.OPTIMAL,
    experts=None,
    seed: int | None = None,
) -> Round:
    """Open the expert review of the call's current stage (a 函评 or 会评/答辩): a round over the formal
    applications on the stage's review form version, assigned by the solver (k experts each, among
    `experts` — users — or the whole approved pool; conflicts and integrity restrictions excluded), and
    started: every assigned expert is notified. Refused with the reason when the stage is not a review, has
    no review form, has a round already, or no assignment fits."""
    require_role(actor, Role.STAFF, message=_(ONLY_STAFF))
    call = Call.objects.select_for_update().select_related("version").get(pk=call.pk)
    stage = call.stage or {}
    if call.status != CallStatus.RUNNING or stage.get("kind") not in programme_workflow.REVIEW_KINDS:
        raise _refuse(_("该批次当前不在专家评审环节。"), "not_review")
    name = stage.get("name") or programme_workflow.kind_label(stage["kind"])
    if CallStageRound.objects.filter(call=call, stage_key=stage["key"]).exists():
        raise _refuse(_("“%(stage)s”已开启专家评审。") % {"stage": name}, "exists")
    version = FormVersion.objects.filter(pk=stage.get("form"), status="published").first()
    if version is None:
        raise _refuse(
            _("“%(stage)s”环节没有指定评审表，请先在计划类别的新版本中为它选择评审表。") % {"stage": name},
            "no_form",
        )
    shortlisting = stage["key"] in programme_workflow.shortlist_stage_keys(call.version.stages)
    if shortlisting:
        undecided = programme_selectors.shortlist_close_refusals(call, stage)
        if undecided:
            raise _refuse(" ".join(undecided), "shortlist_undecided")
    subjects = call_review_subjects(call)
    if not subjects:
        raise _refuse(
            _("“%(stage)s”没有入围的申报，无法开启专家评审。") % {"stage": name}
            if shortlisting
            else _("本批次没有通过形式审查的正式申报材料，无法开启专家评审。")
            if programme_selectors.formal_stage(call)
            else _("本批次还没有正式申报材料，无法开启专家评审。"),
            "no_subjects",
        )
    pool = None
    if experts:
        pool = ExpertProfile.objects.filter(user__in=list(experts), status=ExpertProfile.Status.APPROVED)
    title, title_en = in_both(
        gettext_noop("%(call)s · %(stage)s"), call=(call.title, call.title_en), stage=_stage_names(stage)
    )
    rnd = round_create(
        actor=actor,
        title=title,
        title_en=title_en,
        subjects=subjects,
        form=review_form_for(actor=actor, version=version),
        sheet=version,  # the experts fill the stage's review form version itself (review/sheet.py)
        experts=pool,
        k=k,
        max_load=max_load,
        mode=mode,
        seed=seed,
        due=call.stage_closes_on,
    )
    link = CallStageRound.objects.create(call=call, stage_key=stage["key"], round=rnd, form_version=version)
    round_assign(actor=actor, round=rnd)
    rnd.refresh_from_db()
    round_transition(actor=actor, round=rnd, action="start")
    audit_record(
        actor=actor,
        action="review.call_review_open",
        obj=call,
        after={
            "stage": stage["key"],
            "round": rnd.pk,
            "form_version": version.pk,
            "submissions": [s.pk for s in subjects],
            "k": k,
            "experts": link.round.assignments.filter(status="active").count(),
        },
    )
    return rnd


@transaction.atomic
def assignment_release(*, actor, assignment: Assignment, reason: str) -> Assignment:
    """Staff release an expert from one review (with a reason): no longer owed, not counted in the
    results; the line stays for the record. The expert is told."""
    require_role(actor, Role.STAFF, message=_(ONLY_STAFF))
    if not reason.strip():
        raise ApplicationError(
            _("请填写免除理由。"), code="reason", fields={"reason": [_("请填写免除理由。")]}
        )
    checked_text(reason, "reason", label=_("免除理由"), max_length=REASON_LENGTH)  # kept whole, never cut
    if assignment.round.status == Round.Status.CLOSED:
        raise _refuse(_("本轮评审已结束。"), "closed")
    transition_apply(
        obj=assignment,
        machine=workflow.ASSIGNMENT,
        action="release",
        actor=actor,
        roles=roles_of(actor),
        reason=reason,
        extra_updates={"reason": reason},
    )
    assignment.refresh_from_db()
    notify(
        recipients=[assignment.expert],
        title=Message(gettext_noop("评审任务已免除：%(t)s"), t=assignment.subject.both_titles),
        body=reason,
        url="/review/my/",
        kind="review.released",
    )
    return assignment


def stage_refusals(*, call: Call, stage: dict) -> list[str]:
    """Why the review stage cannot close yet, in words: no round opened; reviews still owed (each named by
    expert and submission); a submission without one scored review. [] when every assignment of the
    stage's round is scored or released."""
    name = stage.get("name") or programme_workflow.kind_label(stage.get("kind", ""))
    link = (
        CallStageRound.objects.filter(call=call, stage_key=stage.get("key")).select_related("round").first()
    )
    if link is None:
        return [_("“%(stage)s”尚未开启专家评审。") % {"stage": name}]
    owed = selectors.owed_reviews(round=link.round)
    out = []
    if owed:
        shown = _("；").join(
            _("%(expert)s（%(subject)s，%(status)s）")
            % {"expert": a.expert, "subject": a.subject.local_title, "status": selectors.owed_words(a)}
            for a in owed[:5]
        )
        more = _("等") if len(owed) > 5 else ""
        out.append(
            _("“%(stage)s”还有 %(n)d 份评审未提交也未免除：%(who)s%(more)s。")
            % {"stage": name, "n": len(owed), "who": shown, "more": more}
        )
    unscored = selectors.unscored_subjects(round=link.round)
    if unscored:
        out.append(
            _("以下申报没有一份已提交的评审，须增派专家：%(titles)s。")
            % {"titles": listed((s.local_title for s in unscored), limit=5)}
        )
    return out


def stage_closed(*, actor, call: Call, stage: dict) -> None:
    """The review stage closed (programmes' call_advance, same transaction): its round goes through the
    panel to closed (reviews still open after the due date go on the experts' credit records)."""
    link = (
        CallStageRound.objects.filter(call=call, stage_key=stage.get("key")).select_related("round").first()
    )
    if link is None:
        return
    rnd = link.round
    if rnd.status == Round.Status.REVIEWING:
        round_transition(actor=actor, round=rnd, action="panel")
        rnd.refresh_from_db()
    if rnd.status == Round.Status.PANEL:
        round_transition(actor=actor, round=rnd, action="close")


__all__ = [
    "assignment_release",
    "call_review_open",
    "call_review_subjects",
    "form_criteria",
    "review_form_for",
    "stage_closed",
    "stage_refusals",
]
