"""Reads of the review app: the pool, conflicts, a round's assignments and its aggregated results."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Model, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.accounts.models import Unit, User
from kechuang.accounts.selectors import units_named
from kechuang.core import bigram, disciplines
from kechuang.core.language import local_name
from kechuang.core.models import Job
from kechuang.core.queries import CompiledOne
from kechuang.core.reviewable import Person, ReviewSubject
from kechuang.core.roles import Role

from . import scoring, solver_words
from .affinity import Doc
from .conflicts import RULES, ExpertFacts, PastUnit, conflict_reasons
from .models import Assignment, Conflict, CriterionScore, ExpertProfile, Review, Round, RoundSubject
from .scoring import SubjectResult

__all__ = ["SubjectResult", "conflicts_for", "round_ranking", "subject_results"]


# --- facts -------------------------------------------------------------------------------------------


def subject_facts(subject: Model) -> dict:
    """The JSON-safe facts of a reviewable object (what the round stores and its rules read)."""
    rs: ReviewSubject = subject.review_subject()
    return {
        "title": rs.title,
        "text": rs.text,
        "keywords": list(rs.keywords),
        "disciplines": list(rs.disciplines),
        "unit_ids": list(rs.unit_ids),
        "people": [
            {"name": p.name, "user_id": p.user_id, "unit_id": p.unit_id, "role": p.role} for p in rs.people
        ],
        "excluded_unit_ids": list(rs.excluded_unit_ids),
        "excluded_names": list(rs.excluded_names),
        "city": rs.city,
        # Not a fact the rules read: the round keeps it beside the title (RoundSubject.title_en).
        **({"title_en": rs.title_en} if rs.title_en else {}),
    }


def review_subject_from_facts(facts: dict) -> ReviewSubject:
    """Rebuild the ReviewSubject a round stored."""
    return ReviewSubject(
        title=facts.get("title", ""),
        text=facts.get("text", ""),
        keywords=tuple(facts.get("keywords", ())),
        disciplines=tuple(facts.get("disciplines", ())),
        unit_ids=tuple(facts.get("unit_ids", ())),
        people=tuple(Person(**p) for p in facts.get("people", ())),
        excluded_unit_ids=tuple(facts.get("excluded_unit_ids", ())),
        excluded_names=tuple(facts.get("excluded_names", ())),
        city=facts.get("city", ""),
    )


# A person's part in a reviewed item, as the expert reads it beside their name.
PERSON_ROLES = {"leader": gettext_lazy("负责人"), "member": gettext_lazy("成员")}


def subject_parties(facts: dict) -> dict:
    """Who stands behind a reviewed item, as its expert reads them before declaring no conflict and while
    scoring the team: its units by name and its people with their part ("刘洋（负责人）"). One query."""
    facts = facts or {}
    ids = [i for i in facts.get("unit_ids") or [] if isinstance(i, int)]
    rows = Unit.objects.filter(pk__in=ids).values_list("pk", "name", "name_en") if ids else []
    names = {pk: local_name(name, name_en) for pk, name, name_en in rows}
    people = []
    for p in facts.get("people") or []:
        if not isinstance(p, dict) or not p.get("name"):
            continue
        role = PERSON_ROLES.get(p.get("role") or "")
        people.append(f"{p['name']}{_('（')}{role}{_('）')}" if role else str(p["name"]))
    return {"units": [names[i] for i in ids if i in names], "people": people}


def subject_doc(facts: dict) -> Doc:
    return Doc(
        text=f"{facts.get('title', '')}\n{facts.get('text', '')}",
        keywords=tuple(facts.get("keywords", ())),
        disciplines=tuple(facts.get("disciplines", ())),
    )


def expert_doc(profile: ExpertProfile) -> Doc:
    return Doc(
        text=profile.publications or "",
        keywords=tuple(profile.keywords or ()),
        disciplines=tuple(profile.disciplines or ()),
    )


def profiles_with_facts(qs: QuerySet[ExpertProfile] | None = None) -> QuerySet[ExpertProfile]:
    """Profiles with everything the conflict rules read, in a fixed number of queries."""
    qs = ExpertProfile.objects.all() if qs is None else qs
    return qs.select_related("user", "user__unit").prefetch_related(
        "past_units", "collaborators", "declared_conflicts"
    )


def expert_facts(profile: ExpertProfile) -> ExpertFacts:
    """The conflict-rule view of a profile (use on profiles from `profiles_with_facts`)."""
    user = profile.user
    unit = user.unit
    declared = list(profile.declared_conflicts.all())
    return ExpertFacts(
        user_id=user.pk,
        name=user.named(Role.EXPERT),  # the public-name rule: never the login name
        unit_id=user.unit_id,
        unit_name=unit.name if unit else "",
        city=profile.city or (unit.city if unit else ""),
        past_units=tuple(PastUnit(p.unit_id, p.unit_name, p.start, p.end) for p in profile.past_units.all()),
        collaborator_names=tuple(c.name for c in profile.collaborators.all()),
        collaborator_user_ids=tuple(c.user_id for c in profile.collaborators.all() if c.user_id),
        declared_unit_ids=tuple(d.unit_id for d in declared if d.unit_id),
        declared_names=tuple(d.person_name for d in declared if d.person_name),
        declared_subject_keys=tuple(f"{d.content_type_id}:{d.object_id}" for d in declared if d.object_id),
    )


# --- conflicts ---------------------------------------------------------------------------------------


def _subject_key(subject: Model) -> str:
    return f"{ContentType.objects.get_for_model(subject).pk}:{subject.pk}"


def conflicts_for(*, subject: Model, expert, round: Round | None = None) -> list[str]:
    """Every reason `expert` (a user) may not review `subject`; [] when free.

    Uses the round's stored facts and rules (conflict years, same-city) when a round is given, else the
    subject's current facts with the default rules. Conflicts stored on the round are included too."""
    if isinstance(subject, RoundSubject):
        rs_row = subject
        round = round or subject.round
        facts = subject.facts
        key = subject.key
    else:
        rs_row = None
        key = _subject_key(subject)
        if round is not None:
            ct_id, oid = key.split(":")
            rs_row = RoundSubject.objects.filter(round=round, content_type_id=ct_id, object_id=oid).first()
        facts = rs_row.facts if rs_row else subject_facts(subject)
    profile = profiles_with_facts(ExpertProfile.objects.filter(user=expert)).first()
    reasons: list[str] = []
    if profile is not None:
        found = conflict_reasons(
            review_subject_from_facts(facts),
            expert_facts(profile),
            today=timezone.localdate(),
            conflict_years=round.conflict_years if round else 5,
            same_city_rule=round.same_city_rule if round else False,
            subject_key=key,
        )
        reasons += [reason for _, reason in found]
    else:
        from .conflicts import RULE_SELF, normalise_name

        rs = review_subject_from_facts(facts)
        names = {normalise_name(p.name) for p in rs.people}
        if expert.pk in {p.user_id for p in rs.people} or normalise_name(str(expert)) in names:
            reasons.append(str(RULES[RULE_SELF]))
    if rs_row is not None:
        for c in Conflict.objects.filter(subject=rs_row, expert=expert):
            if c.reason_text not in reasons:
                reasons.append(c.reason_text)
    return reasons


# --- pool and rounds ---------------------------------------------------------------------------------


def expert_rows() -> QuerySet[ExpertProfile]:
    """Expert profiles with user and unit joined, and each expert's credit total and number of assignments.
    Both are per-row subqueries, so only the page's rows are summed and the page count is a plain count (a
    join and GROUP BY over every assignment took most of a second at national size)."""
    from django.db.models import IntegerField, OuterRef, Subquery, Sum
    from django.db.models.functions import Coalesce

    from .models import Assignment, ExpertCredit

    credit = (
        ExpertCredit.objects.filter(profile=OuterRef("pk"))
        .values("profile")
        .annotate(t=Sum("points"))
        .values("t")
    )
    n_assign = (
        Assignment.objects.filter(expert=OuterRef("user_id"))
        .values("expert")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return ExpertProfile.objects.select_related("user", "user__unit").annotate(
        credit=Subquery(credit, output_field=IntegerField()),
        n_assign=Coalesce(Subquery(n_assign, output_field=IntegerField()), 0),
    )


def _discipline_arm(q: str) -> list:
    """A discipline typed by name (机械工程) or code: the experts holding its code or one under it, through
    the bigram index of their codes (nothing when the words name no discipline)."""
    code = disciplines.resolve(q)
    if not code:
        return []
    return [
        ExpertProfile.objects.filter(bigram.matches("search_bigrams", code, "disciplines"))
        .order_by()
        .values("pk")
    ]


def expert_list(
    *, q: str = "", status: str = "", discipline: str = "", city: str = ""
) -> QuerySet[ExpertProfile]:
    """The expert pool (`expert_rows`) with filters; a query `q` ranks the matches."""
    qs = expert_rows()
    if q:
        # Each arm on its own table through its bigram index (core.bigram; any length, 教授 included), then
        # the `icontains` test on the same fields, so the rows are the `icontains` rows; the same on SQLite.
        # One UNION of index lookups (each arm through its bigram index): an OR of IN-subqueries made
        # PostgreSQL scan every profile and every user (130 ms at national size).
        users = User.objects.filter(bigram.matches("search_bigrams", q, "full_name", "username")).order_by()
        units = units_named(q).values("pk")
        matched = (
            ExpertProfile.objects.filter(user__in=users.values("pk"))
            .order_by()
            .values("pk")
            .union(
                ExpertProfile.objects.filter(user__unit__in=units).order_by().values("pk"),
                ExpertProfile.objects.filter(bigram.matches("search_bigrams", q, "keywords"))
                .order_by()
                .values("pk"),
                *_discipline_arm(q),
            )
        )
        qs = qs.filter(pk__in=matched)
    if status:
        qs = qs.filter(status=status)
    if discipline:
        # A code and every code under it (the JSON list's text holds `"460.30` for 460.30 and 460.3020).
        qs = qs.filter(disciplines__icontains=f'"{discipline}')
    if city:
        qs = qs.filter(city=city)
    if q:
        return bigram.ranked(qs, "user__full_name", q, "user__username")
    return qs.order_by("user__username")


def expert_profile_get(*, pk: int) -> ExpertProfile:
    """One profile for its page: what the conflict rules read, each past and declared unit with its row (the
    page marks a unit still awaiting verification), and the credit records."""
    from .models import DeclaredConflict, ExpertUnit

    return (
        ExpertProfile.objects.select_related("user", "user__unit")
        .prefetch_related(
            Prefetch("past_units", ExpertUnit.objects.select_related("unit")),
            "collaborators",
            Prefetch("declared_conflicts", DeclaredConflict.objects.select_related("unit")),
            "credits",
        )
        .get(pk=pk)
    )


def reviews_this_year(user_ids: Iterable[int], *, exclude_round: Round | None = None) -> dict[int, int]:
    """Active assignments per expert in rounds created this calendar year (for the yearly cap)."""
    start = datetime.datetime(timezone.localdate().year, 1, 1, tzinfo=timezone.get_current_timezone())
    qs = Assignment.objects.filter(
        expert_id__in=list(user_ids), status="active", round__created_at__gte=start
    )
    if exclude_round is not None:
        qs = qs.exclude(round=exclude_round)
    return dict(qs.values_list("expert_id").annotate(n=Count("id")).values_list("expert_id", "n"))


def round_facts(round: Round) -> dict:
    """What the round machine's guards read: whether any assignment is active."""
    return {"has_active_assignments": round.assignments.filter(status=Assignment.Status.ACTIVE).exists()}


def review_facts(review: Review) -> dict:
    """What the review machine's guards read: the round's status and how many of the form's criteria the
    review has not scored yet (one query)."""
    row = (
        Review.objects.filter(pk=review.pk)
        .annotate(
            criteria=Count("assignment__round__form__criteria", distinct=True),
            scored=Count("scores__criterion", distinct=True),
        )
        .values("assignment__round__status", "criteria", "scored")
        .get()
    )
    return {"round_status": row["assignment__round__status"], "unscored": row["criteria"] - row["scored"]}


def round_assignments(*, round: Round) -> QuerySet[Assignment]:
    """Assignments of a round with their subject, expert and review (one query)."""
    return (
        Assignment.objects.filter(round=round)
        .select_related("subject", "expert", "expert__unit", "review")
        .order_by("subject__order", "subject_id", "-status", "-affinity")
    )


def round_conflicts(*, round: Round) -> QuerySet[Conflict]:
    return (
        Conflict.objects.filter(round=round)
        .select_related("subject", "expert")
        .order_by("subject__order", "expert_id")
    )


def my_assignments(*, user) -> QuerySet[Assignment]:
    """An expert's own active assignments, newest round first, with their review."""
    return (
        Assignment.objects.filter(expert=user, status=Assignment.Status.ACTIVE)
        .select_related("round", "subject", "review", "round__form")
        .order_by("-round__created_at", "subject__order")
    )


def _review_query(pk):
    return Review.objects.select_related(
        "assignment",
        "assignment__round",
        "assignment__round__form",
        "assignment__round__sheet__definition",
        "assignment__subject",
        "assignment__expert",
        "form_version__definition",
    ).filter(pk=pk)


# the SQL of the review's nine-table join built once per process (#19); no LIMIT (core.queries: 4.5 → 1.9
# ms of planning on PostgreSQL)
_REVIEW = CompiledOne(
    _review_query,
    lambda: (Prefetch("scores", queryset=CriterionScore.objects.select_related("criterion")),),
)


def review_with_scores(*, pk: int) -> Review:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Review.DoesNotExist("no such review") from None
    return _REVIEW.get(pk)


# --- results -----------------------------------------------------------------------------------------


def _scored_reviews(round: Round) -> list[scoring.ScoredReview]:
    reviews = (
        Review.objects.filter(
            assignment__round=round, assignment__status="active", status=Review.Status.SUBMITTED
        )
        .select_related("assignment")
        .prefetch_related(Prefetch("scores", queryset=CriterionScore.objects.select_related("criterion")))
        .order_by("pk")
    )
    out = []
    for r in reviews:
        out.append(
            scoring.ScoredReview(
                expert=r.assignment.expert_id,
                subject=r.assignment.subject_id,
                total=float(r.total or 0),
                criteria={s.criterion.code: float(s.score) for s in r.scores.all()},
                recommendation=r.recommendation,
                opinion=r.opinion,
                released=r.released,
            )
        )
    return out


def round_results(*, round: Round) -> dict[int, SubjectResult]:
    """Aggregated results per RoundSubject id, ranked (see scoring.aggregate)."""
    return scoring.aggregate(_scored_reviews(round), max_score=float(round.form.scale))


def round_ranking(*, round: Round) -> list[tuple[Model, SubjectResult]]:
    """The panel's ranked list: (reviewed object, result), best first; unreviewed subjects last."""
    results = round_results(round=round)
    subjects = {rs.pk: rs for rs in RoundSubject.objects.filter(round=round).select_related("content_type")}
    out = []
    for rs_id, res in results.items():
        rs = subjects[rs_id]
        out.append((rs.subject or rs, res))
    return out


def subject_results(*, subject: Model, round: Round | None = None) -> SubjectResult | None:
    """The aggregated result of one reviewed object in `round` (default: its latest round); None when
    it was never reviewed or has no submitted review yet."""
    ct = ContentType.objects.get_for_model(subject)
    rows = RoundSubject.objects.filter(content_type=ct, object_id=subject.pk).select_related(
        "round", "round__form"
    )
    if round is not None:
        rows = rows.filter(round=round)
    row = rows.order_by("-round__created_at", "-pk").first()
    if row is None:
        return None
    return round_results(round=row.round).get(row.pk)


def subjects_results(*, model: type[Model], ids) -> dict[int, SubjectResult]:
    """`subject_results` for many objects of one model at once: {object id: result of its latest round},
    objects never reviewed or without a submitted review left out. Two queries plus those of
    `round_results` once per distinct latest round (however many objects)."""
    ct = ContentType.objects.get_for_model(model)
    rows = (
        RoundSubject.objects.filter(content_type=ct, object_id__in=list(ids))
        .select_related("round", "round__form")
        .order_by("object_id", "-round__created_at", "-pk")
    )
    latest: dict[int, RoundSubject] = {}
    for row in rows:
        latest.setdefault(row.object_id, row)
    per_round: dict[int, dict[int, SubjectResult]] = {}
    out: dict[int, SubjectResult] = {}
    for object_id, row in latest.items():
        if row.round_id not in per_round:
            per_round[row.round_id] = round_results(round=row.round)
        res = per_round[row.round_id].get(row.pk)
        if res is not None:
            out[object_id] = res
    return out


def _active_reviews_of(subject: Model):
    """The reviews of this object (any round) under assignments still active."""
    return Review.objects.filter(
        assignment__subject__content_type=ContentType.objects.get_for_model(subject),
        assignment__subject__object_id=subject.pk,
        assignment__status="active",
    )


def expert_may_read(*, user, subject: Model) -> bool:
    """Whether `user` is an expert assigned to review this object who has declared no conflict of interest
    (their review opened or submitted; never once declined): the object's own documents are then open to
    them, as its text is on the review page. One query."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        _active_reviews_of(subject)
        .filter(assignment__expert=user)
        .exclude(status__in=[Review.Status.PENDING, Review.Status.DECLINED])
        .exists()
    )


def released_opinions(*, subject: Model) -> list[str]:
    """The anonymous opinions staff released to the applicant of this object, over all its rounds: the
    text only — never who wrote it, the scores or the internal comments. One query."""
    return list(
        _active_reviews_of(subject)
        .filter(status=Review.Status.SUBMITTED, released=True)
        .exclude(opinion="")
        .order_by("submitted_at", "pk")
        .values_list("opinion", flat=True)
    )


def round_progress(*, round: Round) -> dict:
    """Counts of reviews by status, for the round page and the dashboard."""
    counts = dict(
        Review.objects.filter(assignment__round=round, assignment__status="active")
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return {s: counts.get(s, 0) for s in Review.Status.values}


def round_solver_words(*, round: Round) -> dict:
    """The round's solver outcome in words for its page: `fair_words` (the fair mode's levels, proofs and
    bound), `widened_words` (why the candidate set was widened, when it was) and `failed_assign` (the error
    of the last expert assignment, in words, when it failed after the stored result: e.g. no assignment
    fits, with the subjects and the reason). Reads the job only while the round can still be assigned."""
    result = round.solver_result or {}
    out = {"fair_words": solver_words.fair_words(result), "widened_words": None, "failed_assign": None}
    if (result.get("stats") or {}).get("widened"):
        titles = dict(round.subjects.values_list("pk", "title"))
        names = [titles.get(pk, "") for pk in (round.solver_input or {}).get("subjects", [])]
        out["widened_words"] = solver_words.widened_words(result, names)
    if round.status in (Round.Status.DRAFT, Round.Status.ASSIGNED):
        last = (
            Job.objects.filter(kind="review.assign", params__round_id=round.pk)
            .only("state", "error", "created_at")
            .order_by("-created_at")
            .first()
        )
        if (
            last is not None
            and last.state == Job.State.FAILED
            and (round.assigned_at is None or last.created_at > round.assigned_at)
        ):
            # A refusal's message is words; an unexpected error (a class name and a traceback) is not shown.
            crashed = re.match(r"^\w+(Error|Exception)\b", last.error or "")
            out["failed_assign"] = _("上次分配未能完成，请查看后台任务的记录。") if crashed else last.error
    return out


# --- the review stages of programme calls (issue #18) ---------------------------------------------------------


def owed_reviews(*, round: Round) -> list[Assignment]:
    """The active assignments of a round whose review is not submitted (pending, opened or declined: a
    declined one is owed until staff replace or release the expert), by subject and expert. One query."""
    return list(
        Assignment.objects.filter(round=round, status=Assignment.Status.ACTIVE)
        .exclude(review__status=Review.Status.SUBMITTED)
        .select_related("expert", "subject", "review")
        .order_by("subject__order", "subject_id", "expert__username")
    )


def owed_words(assignment: Assignment) -> str:
    review = getattr(assignment, "review", None)
    if review is None:
        return _("未开始")
    return str(review.get_status_display())


def unscored_subjects(*, round: Round) -> list[RoundSubject]:
    """The subjects of a round without one submitted review under an active assignment. One query."""
    return list(
        round.subjects.exclude(
            pk__in=Assignment.objects.filter(
                round=round, status=Assignment.Status.ACTIVE, review__status=Review.Status.SUBMITTED
            ).values("subject_id")
        ).order_by("order", "pk")
    )


def mean_ranking(*, round: Round) -> list[dict]:
    """A programme stage's ranking: each subject with its number of scored reviews, the mean of their
    weighted totals (released and replaced experts' left out), the spread and the recommendations; ranked
    by the mean, best first; subjects not yet scored last (no rank). Three queries."""
    results = round_results(round=round)
    rows = []
    for rs in round.subjects.order_by("order", "pk"):
        res = results.get(rs.pk)
        rows.append(
            {
                "subject": rs,
                "object_id": rs.object_id,
                "n": res.n_reviews if res else 0,
                "mean": res.mean if res else None,
                "spread": res.spread if res else None,
                "disagreement": bool(res and res.disagreement),
                "recommendations": [
                    (Review.Recommendation(code).label, n)
                    for code, n in (res.recommendations if res else {}).items()
                ],
                "criteria": res.criteria_means if res else {},
            }
        )
    rows.sort(key=lambda r: (r["mean"] is None, -(r["mean"] or 0), r["subject"].order, r["subject"].pk))
    rank = 0
    for row in rows:
        if row["mean"] is not None:
            rank += 1
            row["rank"] = rank
        else:
            row["rank"] = None
    return rows


def call_stage_rounds(*, call) -> list:
    """The review rounds of a programme call's stages, in the order they were opened (with their round and
    form). One query."""
    from .models import CallStageRound

    return list(
        CallStageRound.objects.filter(call=call)
        .select_related("round", "round__form", "form_version__definition")
        .order_by("created_at", "pk")
    )
