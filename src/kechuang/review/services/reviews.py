"""An expert's review of one subject: open, decline, save, submit; staff reopen and release."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from kechuang.accounts.selectors import users_with_role
from kechuang.core.audit import audit_record
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.limits import checked_text
from kechuang.core.messages import Message
from kechuang.core.notifications import notify
from kechuang.core.queries import CompiledOne
from kechuang.core.roles import Role, require_role, roles_of
from kechuang.core.services import optimistic_save, transition_apply
from kechuang.programmes import filefields

from .. import permissions, scoring, selectors, sheet, workflow
from ..models import (
    REASON_LENGTH,
    Conflict,
    CriterionScore,
    DeclaredConflict,
    ExpertProfile,
    Review,
    ReviewFile,
)
from ._common import ONLY_STAFF

# the subject and the expert too: the audit event names the review by them (str(review)); no LIMIT on the join
# (core.queries), its SQL built once per process (#19)
_OWN = CompiledOne(
    lambda pk: Review.objects.select_related(
        "assignment",
        "assignment__round",
        "assignment__round__form",
        "assignment__round__sheet",
        "assignment__subject",
        "assignment__expert",
        "form_version",
    ).filter(pk=pk)
)


def _own_review(actor, review: Review) -> Review:
    review = _OWN.get(review.pk)
    if review.assignment.expert_id != getattr(actor, "pk", None) or review.assignment.status != "active":
        raise PermissionDenied(_("这不是您的评审任务。"))
    return review


# The expert's no-conflict declaration is the box ticked (`confirm=1`), checked by the page and the API, not by the
# browser alone (docs/security.md §40)
DECLARATION_REQUIRED = gettext_lazy("评审没有开始：请先勾选声明与该评审对象无利益冲突。")


def declaration_missing(review: Review, user, data) -> bool:
    """Whether the review's own expert asks to open a pending review without ticking the declaration (anyone
    else, or a review past pending: the service refuses it for what it is)."""
    confirm = data.get("confirm") if hasattr(data, "get") else None
    return (
        review.assignment.expert_id == user.pk
        and review.status == Review.Status.PENDING
        and confirm not in (True, 1, "1", "true", "on")
    )


@transaction.atomic
def review_open(*, actor, review: Review) -> Review:
    """The expert declares no conflict of interest and opens the review (both recorded)."""
    review = _own_review(actor, review)
    if review.status != Review.Status.PENDING:
        raise ApplicationError(_("该评审已经开始或已结束。"), code="invalid_state")
    now = timezone.now()
    review.declared_no_conflict_at = now
    # the review is scored on its round's sheet as it is now, and shown with that version for ever
    review.form_version = review.form_version or review.assignment.round.sheet
    review.save(update_fields=["declared_no_conflict_at", "form_version", "updated_at"])
    audit_record(
        actor=actor, action="review.declare_no_conflict", obj=review, after={"declared_no_conflict_at": now}
    )
    transition_apply(
        obj=review,
        machine=workflow.REVIEW,
        action="open",
        actor=actor,
        roles=roles_of(actor),
        ctx=selectors.review_facts(review),
    )
    review.refresh_from_db()
    return review


@transaction.atomic
def review_decline(*, actor, review: Review, reason: str) -> Review:
    """The expert declares a conflict with this subject: the review is declined, the conflict kept for
    the round and the expert's profile, and staff are told to assign someone else."""
    review = _own_review(actor, review)
    checked_text(reason, "reason", label=_("回避理由"), max_length=REASON_LENGTH)  # kept whole, never cut
    transition_apply(
        obj=review,
        machine=workflow.REVIEW,
        action="decline",
        actor=actor,
        roles=roles_of(actor),
        reason=reason,
    )
    a = review.assignment
    Conflict.objects.get_or_create(
        round=a.round, subject=a.subject, expert=a.expert, rule="declared", defaults={"reason": reason}
    )
    profile = ExpertProfile.objects.filter(user=actor).first()
    if profile is not None:
        DeclaredConflict.objects.create(
            profile=profile,
            content_type=a.subject.content_type,
            object_id=a.subject.object_id,
            reason=reason,
        )

    notify(
        recipients=list(users_with_role(Role.STAFF)),
        title=Message(gettext_noop("专家声明回避，需要重新分配：%(t)s"), t=a.subject.both_titles),
        body=reason,
        url=a.round.get_absolute_url(),
        kind="review.declined",
    )
    review.refresh_from_db()
    return review


def review_specs(review: Review, criteria=None) -> list[dict] | None:
    """The fields of the review's scoring sheet (review/sheet.py), or None when its round has no review form
    version (the code's own sheet)."""
    version = review.form_version or review.assignment.round.sheet
    if version is None:
        return None
    if criteria is None:
        criteria = list(review.assignment.round.form.criteria.all())
    return sheet.sheet_specs(version, criteria)


@transaction.atomic
def review_save(
    *,
    actor,
    review: Review,
    expected_version: int,
    scores: dict[str, float] | None = None,
    values: dict | None = None,
    comments: str | None = None,
    opinion: str | None = None,
    recommendation: str | None = None,
    files: dict | None = None,
) -> Review:
    """Save the expert's draft: scores per criterion code (0..max), the sheet's values by key (when the
    round has a review form version; a criterion's key is its code, so `scores` and `values` may both
    carry it), comments, public opinion and recommendation, and the sheet's file fields that change
    (`files`: {key: (bytes, file name), or None to clear it}; review_file_set, in the same transaction).
    What is not given is kept: a criterion or sheet value not in `scores`/`values`, and comments, opinion
    or recommendation left None (an autosave of one field blanks no other). Refused unless the review is
    the actor's and open; refused when stale."""
    review = _own_review(actor, review)
    if not permissions.can_edit_review(actor, review):
        raise ApplicationError(
            _("该评审当前不能修改（请先声明无利益冲突并开始评审）。"), code="invalid_state"
        )
    criteria = {c.code: c for c in review.assignment.round.form.criteria.all()}
    specs = review_specs(review, list(criteria.values()))
    errors = {}
    new_values = None
    emptied: set[str] = set()
    if specs is not None:
        given = {**{k: v for k, v in (scores or {}).items()}, **(values or {})}
        rec_key = sheet.recommendation_key(specs)
        if rec_key and recommendation and rec_key not in given:
            # the recommendation given as such (the API, other apps): the sheet's recommendation field
            given[rec_key] = sheet.recommendation_word(specs, recommendation)
        old_files = {k: v for k, v in (review.sheet_values or {}).items() if k in sheet.file_keys(specs)}
        checked, errors = sheet.check_values(specs, given, old_files=old_files)
        emptied = {k for k in sheet.criterion_keys(specs) if k in checked and checked[k] is None}
        new_values = sheet.merged(specs, review.sheet_values, checked)
        scores = {k: new_values[k] for k in sheet.criterion_keys(specs) if k in checked and k in new_values}
        rec = sheet.recommendation_of(specs, new_values)
        if rec is not None:
            recommendation = rec
    elif values or files:
        errors["values"] = [_("本轮评审没有评审表版本，请按评分指标打分。")]
    for key, upload in (files or {}).items():
        spec = sheet.file_spec(specs or [], key)
        if specs is not None and spec is None:
            errors[key] = [_("评审表中没有这一附件栏目。")]
        elif spec is not None and upload is not None:
            # every upload checked before anything is written: a refused one stores nothing
            try:
                filefields.check_upload(spec, upload[0], upload[1], key=key)
            except ApplicationError as exc:
                errors[key] = [str(exc.message)]
    clean: dict[str, Decimal] = {}
    for code, value in (scores or {}).items():
        crit = criteria.get(code)
        if crit is None:
            errors[code] = [_("未知的评分指标。")]
            continue
        if value in (None, ""):
            continue
        try:
            val = Decimal(str(value))
        except InvalidOperation:
            errors[code] = [_("分数必须是数字。")]
            continue
        if val < 0 or val > crit.max_score:
            errors[code] = [_("分数应在0到%(max)d之间。") % {"max": crit.max_score}]
            continue
        clean[code] = val
    if recommendation and recommendation not in Review.Recommendation.values:
        errors["recommendation"] = [_("请选择有效的推荐意见。")]
    if errors:
        raise ApplicationError(_("评分有误，请检查。"), code="validation_error", fields=errors)
    before = {"comments": review.comments, "recommendation": review.recommendation}
    fields = []
    for name, value in (("comments", comments), ("opinion", opinion), ("recommendation", recommendation)):
        if value is not None:  # not given: kept
            setattr(review, name, value)
            fields.append(name)
    if new_values is not None:
        before["values"] = review.sheet_values
        review.sheet_values = new_values
        review.form_version = review.form_version or review.assignment.round.sheet
        fields += ["sheet_values", "form_version"]
    optimistic_save(obj=review, expected_version=expected_version, update_fields=fields)
    old = _scores_set(review, criteria, clean, emptied)
    if new_values is not None:
        # a stored file whose field is no longer asked (its condition not met) goes with its value
        dropped = [
            filefields.stored_id(v, "file")
            for k, v in before["values"].items()
            if k in old_files and k not in new_values
        ]
        for row in ReviewFile.objects.filter(review=review, pk__in=[d for d in dropped if d]):
            filefields.delete_after_commit(row.file)
            row.delete()
    after = {
        "comments": review.comments,
        "recommendation": review.recommendation,
        "scores": {k: str(v) for k, v in clean.items()},
    }
    if new_values is not None:
        after["values"] = new_values
    for key, upload in (files or {}).items():
        _file_set(actor, review, specs, key, upload)
    audit_record(
        actor=actor,
        action="review.save",
        obj=review,
        before={**before, "scores": {k: str(v) for k, v in old.items()}},
        after=after,
    )
    return review


def _scores_set(review: Review, criteria: dict, clean: dict, emptied: set[str]) -> dict:
    """Write the criterion scores that change, in one query per kind of change (issue #19): the changed
    ones in one UPDATE, the new ones in one INSERT, the emptied ones in one DELETE; an unchanged score is
    not written. The review's row is locked by its optimistic save, so no other save of it interleaves.
    Returns the old scores by criterion code (for the audit event)."""
    rows = {
        s.criterion_id: s for s in CriterionScore.objects.filter(review=review).select_related("criterion")
    }
    old = {s.criterion.code: s.score for s in rows.values()}
    now = timezone.now()
    changed, new = [], []
    for code, val in clean.items():
        row = rows.get(criteria[code].pk)
        if row is None:
            new.append(CriterionScore(review=review, criterion=criteria[code], score=val))
        elif row.score != val:
            row.score, row.updated_at = val, now
            changed.append(row)
    if changed:
        CriterionScore.objects.bulk_update(changed, ["score", "updated_at"])
    if new:
        CriterionScore.objects.bulk_create(new)
    gone = [rows[criteria[code].pk].pk for code in emptied if code in criteria and criteria[code].pk in rows]
    if gone:
        CriterionScore.objects.filter(pk__in=gone).delete()
    return old


def _file_set(actor, review: Review, specs, key: str, upload) -> ReviewFile | None:
    spec = sheet.file_spec(specs or [], key)
    if spec is None:
        raise ApplicationError(
            _("评审表中没有这一附件栏目。"),
            code="no_such_field",
            fields={key: [_("评审表中没有这一附件栏目。")]},
        )
    data, filename = (None, "") if upload is None else upload
    version = review.form_version or review.assignment.round.sheet
    return filefields.store(
        actor=actor,
        owner=review,
        values_attr="sheet_values",
        key=key,
        spec=spec,
        data=data,
        filename=filename,
        new_row=lambda **facts: ReviewFile(review=review, key=key, form_version=version, **facts),
        rows=ReviewFile.objects.filter(review=review),
        id_name="file",
        action="review.field_file",
    )


@transaction.atomic
def review_file_set(
    *, actor, review: Review, key: str, data: bytes | None, filename: str = "", expected_version: int
) -> ReviewFile | None:
    """Answer a file field of the review's scoring sheet (issue #18): the file is checked for the field's
    kinds and size (core.uploads) and stored as a private ReviewFile of the review (downloaded by those who
    may see the review: its expert and staff); `sheet_values[key]` keeps its name and id. A file the field
    had before is removed (from storage once committed); `data=None` clears the field. Only the review's
    expert, while it is open; refused when stale (the review's version goes up by one). Audited."""
    review = _own_review(actor, review)
    if not permissions.can_edit_review(actor, review):
        raise ApplicationError(
            _("该评审当前不能修改（请先声明无利益冲突并开始评审）。"), code="invalid_state"
        )
    specs = review_specs(review)
    if sheet.file_spec(specs or [], key) is None:
        raise ApplicationError(
            _("评审表中没有这一附件栏目。"),
            code="no_such_field",
            fields={key: [_("评审表中没有这一附件栏目。")]},
        )
    review.form_version = review.form_version or review.assignment.round.sheet
    optimistic_save(obj=review, expected_version=expected_version, update_fields=["form_version"])
    return _file_set(actor, review, specs, key, None if data is None else (data, filename))


@transaction.atomic
def review_submit(*, actor, review: Review) -> Review:
    """Submit once: every criterion scored, a recommendation and comments; the weighted total is fixed."""
    review = _own_review(actor, review)
    form = review.assignment.round.form
    crits = list(form.criteria.all())
    scores = {s.criterion.code: float(s.score) for s in review.scores.select_related("criterion")}
    total = None
    if all(c.code in scores for c in crits):
        total = Decimal(
            str(
                scoring.weighted_total(
                    scores, [(c.code, float(c.weight), c.max_score) for c in crits], form.scale
                )
            )
        )
    ctx = selectors.review_facts(review)
    specs = review_specs(review, crits)
    if specs is not None:
        # the sheet's required fields (criteria are counted by review_facts)
        crit_keys = set(sheet.criterion_keys(specs))
        ctx["missing"] = sheet.missing([s for s in specs if s["key"] not in crit_keys], review.sheet_values)
    transition_apply(
        obj=review,
        machine=workflow.REVIEW,
        action="submit",
        actor=actor,
        roles=roles_of(actor),
        ctx=ctx,
        extra_updates={"total": total, "submitted_at": timezone.now()},
    )
    review.refresh_from_db()
    return review


@transaction.atomic
def review_reopen(*, actor, review: Review, reason: str) -> Review:
    """Staff send a submitted review back to its expert, with a reason."""
    require_role(actor, Role.STAFF, message=_(ONLY_STAFF))
    transition_apply(
        obj=review,
        machine=workflow.REVIEW,
        action="reopen",
        actor=actor,
        roles=roles_of(actor),
        reason=reason,
        extra_updates={"reopened_by": actor, "submitted_at": None},
    )
    review.refresh_from_db()
    notify(
        recipients=[review.assignment.expert],
        title=Message(gettext_noop("评审被退回修改")),
        body=reason,
        url=review.get_absolute_url(),
        kind="review.reopen",
    )
    return review


@transaction.atomic
def review_release(*, actor, review: Review, released: bool = True) -> Review:
    """Staff release (or withdraw) a review's public opinion to the applicant, without the expert's name."""
    require_role(actor, Role.STAFF, message=_(ONLY_STAFF))
    review = Review.objects.select_for_update().get(pk=review.pk)
    if released and review.status != Review.Status.SUBMITTED:
        raise ApplicationError(_("只能公开已提交评审的意见。"), code="invalid_state")
    before = review.released
    review.released = released
    review.save(update_fields=["released", "updated_at"])
    audit_record(
        actor=actor,
        action="review.release",
        obj=review,
        before={"released": before},
        after={"released": released},
    )
