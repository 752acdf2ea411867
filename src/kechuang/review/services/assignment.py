"""Assigning experts: the solver's problem from a round's facts, the solver run, manual changes."""

from __future__ import annotations

import secrets
from collections.abc import Callable

import numpy as np
import scipy.sparse as sp
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kechuang.core import counters
from kechuang.core.audit import audit_record
from kechuang.core.exceptions import ApplicationError
from kechuang.core.jobs import job_submit
from kechuang.core.limits import checked_text
from kechuang.core.messages import Message
from kechuang.core.notifications import notify
from kechuang.core.roles import Role, require_role, roles_of
from kechuang.core.services import transition_apply
from kechuang.integrity import selectors as integrity_selectors
from kechuang.integrity.models import Restriction

from .. import affinity, selectors, solver, solver_words, workflow
from ..conflicts import conflict_reasons
from ..models import REASON_LENGTH, Assignment, Conflict, ExpertProfile, Review, Round, RoundSubject
from ._common import ONLY_STAFF


def barred_experts(profiles) -> dict[int, str]:
    """{expert user id: reason} for the profiles a current integrity restriction bars from expert work
    (kechuang.integrity): they are left out of the solver's and the draw's pool, and refused by hand."""
    return integrity_selectors.barred_users(restriction=Restriction.EXPERT, users=[p.user for p in profiles])


def round_problem(rnd: Round, *, progress: Callable[[float, str], None] = solver.noop):
    """Build the solver's input for a round from its stored facts: conflicts (with reasons), affinity
    (with explanations), per-expert loads. Experts under an integrity restriction on expert work are not in
    the pool (the result's `barred` names them with the reason). Returns (problem, subjects, profiles,
    conflicts, model)."""
    subjects = list(rnd.subjects.order_by("order", "pk"))
    pool = list(
        selectors.profiles_with_facts(rnd.experts.filter(available=True, status="approved")).order_by(
            "user_id"
        )
    )
    barred = barred_experts(pool)
    profiles = [p for p in pool if p.user_id not in barred]
    if not profiles:
        raise ApplicationError(_("本轮没有可用的专家（需已入库且可参加评审）。"), code="no_experts")
    n, m = len(subjects), len(profiles)
    progress(5, _("计算回避关系"))
    facts = [selectors.expert_facts(p) for p in profiles]
    today = timezone.localdate()
    found: list[tuple[int, int, str, str]] = []
    # The reasons are stored in Chinese whoever assigns, and read in the reader's language (Conflict.reason_text).
    with translation.override(settings.LANGUAGE_CODE):
        for i, rs in enumerate(subjects):
            subj = selectors.review_subject_from_facts(rs.facts)
            for j, ef in enumerate(facts):
                for rule, reason in conflict_reasons(
                    subj,
                    ef,
                    today=today,
                    conflict_years=rnd.conflict_years,
                    same_city_rule=rnd.same_city_rule,
                    subject_key=rs.key,
                ):
                    found.append((i, j, rule, reason))
    # Conflicts declared on this round's assignments (an expert declining) stay in force on a re-run.
    index_s = {rs.pk: i for i, rs in enumerate(subjects)}
    index_e = {p.user_id: j for j, p in enumerate(profiles)}
    for c in Conflict.objects.filter(round=rnd, rule="declared"):
        if c.subject_id in index_s and c.expert_id in index_e:
            found.append((index_s[c.subject_id], index_e[c.expert_id], c.rule, c.reason))
    progress(20, _("计算匹配度"))
    model = affinity.fit(
        [selectors.subject_doc(rs.facts) for rs in subjects], [selectors.expert_doc(p) for p in profiles]
    )
    scores = affinity.matrix(model)
    conf = (
        sp.csr_matrix(
            (np.ones(len(found), dtype=bool), ([f[0] for f in found], [f[1] for f in found])), shape=(n, m)
        )
        if found
        else sp.csr_matrix((n, m), dtype=bool)
    )
    used = selectors.reviews_this_year([p.user_id for p in profiles], exclude_round=rnd)
    max_load = np.array(
        [max(0, min(rnd.max_load, p.yearly_cap - used.get(p.user_id, 0))) for p in profiles], dtype=np.int64
    )
    problem = solver.Problem(n, m, scores, conf, k=rnd.k, min_load=rnd.min_load, max_load=max_load)
    return problem, subjects, profiles, found, model


def _solver_input(problem: solver.Problem, subjects, profiles, seed) -> dict:
    coo = problem.scores.tocoo()
    cc = problem.conflicts.tocoo()
    return {
        "subjects": [rs.pk for rs in subjects],
        "experts": [p.user_id for p in profiles],
        "k": problem.k,
        "min_load": problem.min_load.tolist(),
        "max_load": problem.max_load.tolist(),
        "scores": [[int(i), int(j), float(v)] for i, j, v in zip(coo.row, coo.col, coo.data)],
        "conflicts": [[int(i), int(j)] for i, j in zip(cc.row, cc.col)],
        "seed": seed,
        "scale": problem.scale,
    }


def problem_from_input(data: dict) -> solver.Problem:
    """Rebuild the exact solver input stored on a round (for a re-run or an audit)."""
    n, m = len(data["subjects"]), len(data["experts"])
    s = np.array(data["scores"], dtype=np.float64).reshape(-1, 3)
    c = np.array(data["conflicts"], dtype=np.int64).reshape(-1, 2)
    return solver.Problem(
        n,
        m,
        sp.csr_matrix((s[:, 2], (s[:, 0].astype(int), s[:, 1].astype(int))), shape=(n, m)),
        sp.csr_matrix((np.ones(len(c), dtype=bool), (c[:, 0], c[:, 1])), shape=(n, m)),
        k=data["k"],
        min_load=np.array(data["min_load"]),
        max_load=np.array(data["max_load"]),
        scale=data.get("scale", solver.SCALE),
    )


def round_assign(
    *, actor, round: Round, as_job: bool = False, progress: Callable[[float, str], None] | None = None
):
    """Assign experts to every subject of the round by its mode (optimal, fair or random) and store the
    solver's input, seed, objective and result. As a job when `as_job` (returns the Job); else now
    (returns the Round). Refused once reviewing has started; conflicts are never assigned."""
    require_role(actor, Role.STAFF, message=_(ONLY_STAFF))
    if round.status not in (Round.Status.DRAFT, Round.Status.ASSIGNED):
        raise ApplicationError(_("评审已经开始，不能重新分配；请使用人工调整。"), code="invalid_state")
    if as_job:
        return job_submit(
            kind="review.assign",
            params={"round_id": round.pk},
            actor=actor,
            title=Message(gettext_noop("专家分配：%(title)s"), title=round.title),
        )
    return _round_assign_now(actor=actor, rnd=round, progress=progress or solver.noop)


@transaction.atomic
def _round_assign_now(*, actor, rnd: Round, progress) -> Round:
    rnd = Round.objects.select_for_update().get(pk=rnd.pk)
    if rnd.status not in (Round.Status.DRAFT, Round.Status.ASSIGNED):
        raise ApplicationError(_("评审已经开始，不能重新分配；请使用人工调整。"), code="invalid_state")
    problem, subjects, profiles, found, model = round_problem(rnd, progress=progress)
    barred = barred_experts(
        rnd.experts.filter(available=True, status="approved")
        .exclude(user_id__in=[p.user_id for p in profiles])
        .select_related("user")
    )
    seed = rnd.seed
    if rnd.mode == Round.Mode.RANDOM and seed is None:
        seed = secrets.randbelow(2**31)
    elif rnd.mode == Round.Mode.FAIR and seed is None:
        seed = 0  # fair mode's CP-SAT seed and tie-break: recorded so a re-run gives the same pairs
    progress(35, _("求解"))
    try:
        sol = solver.solve(
            problem,
            mode=rnd.mode,
            seed=seed or 0,
            progress=lambda p, msg: progress(35 + p * 0.5, msg),
            # The fair mode lifts the round's chosen number of worst-off levels (1 = max-min only).
            options={"leximin_depth": rnd.leximin_depth} if rnd.mode == Round.Mode.FAIR else None,
        )
    except solver.InfeasibleError as exc:
        names = [str(rs) for rs in subjects]
        detail = solver_words.diagnosis_words(exc.diagnosis, names) if exc.diagnosis else str(exc)
        raise ApplicationError(
            _(
                "无法完成分配：每项需要%(k)d位专家，请放宽专家评审上限、扩大专家范围或检查回避关系。（%(detail)s）"
            )
            % {"k": rnd.k, "detail": detail},
            code="infeasible",
        )
    progress(90, _("保存分配结果"))
    # Recomputed conflicts replace the stored ones, except those an expert declared on this round.
    Conflict.objects.filter(round=rnd).exclude(rule="declared").delete()
    existing = set(Conflict.objects.filter(round=rnd).values_list("subject_id", "expert_id", "rule"))
    # a found conflict's reason is the rules' own words naming a unit, a paper or a person: to its column's length
    Conflict.objects.bulk_create(
        [
            Conflict(
                round=rnd,
                subject=subjects[i],
                expert_id=profiles[j].user_id,
                rule=rule,
                reason=reason[:REASON_LENGTH],
            )
            for i, j, rule, reason in found
            if (subjects[i].pk, profiles[j].user_id, rule) not in existing
        ],
        ignore_conflicts=True,
    )
    Assignment.objects.filter(round=rnd).delete()
    source = Assignment.Source.RANDOM if rnd.mode == Round.Mode.RANDOM else Assignment.Source.SOLVER
    rows = []
    for (i, j), score in zip(sol.pairs.tolist(), sol.scores.tolist()):
        rows.append(
            Assignment(
                round=rnd,
                subject=subjects[i],
                expert_id=profiles[j].user_id,
                affinity=round(score, 6),
                explanation=affinity.explain(model, i, j),
                source=source,
            )
        )
    created = Assignment.objects.bulk_create(rows)
    Review.objects.bulk_create([Review(assignment=a) for a in created])
    counters.recount("review.reviews_open")  # bulk_create sends no post_save (core.counters)
    result = {
        "mode": sol.mode,
        "objective": sol.objective,
        "objective_int": sol.objective_int,
        "worst_off": sol.worst_off,
        "seconds": round(sol.seconds, 3),
        "stats": sol.stats,
        "pairs": sol.pairs.tolist(),
        "assignment_digest": sol.assignment_digest(),
        # What a re-run needs besides the stored input and seed (`round_rerun_check`).
        "parameters": {"mode": sol.mode, "seed": seed, **sol.stats.get("parameters", {})},
        "conflicts": len(found),
        # Experts of the pool left out for an integrity restriction, with the reason (kechuang.integrity).
        "barred": [[uid, reason] for uid, reason in sorted(barred.items())],
    }
    transition_apply(
        obj=rnd,
        machine=workflow.ROUND,
        action="assign",
        actor=actor,
        roles=roles_of(actor),
        extra_updates={
            "seed": seed,
            "input_hash": problem.digest(),
            "solver_input": _solver_input(problem, subjects, profiles, seed),
            "solver_result": result,
            "objective": sol.objective,
            "worst_off": sol.worst_off,
            "assigned_at": timezone.now(),
        },
    )
    audit_record(
        actor=actor,
        action="round.assign_result",
        obj=rnd,
        after={
            "mode": sol.mode,
            "objective": sol.objective,
            "worst_off": sol.worst_off,
            "seed": seed,
            "input_hash": problem.digest(),
            "assignments": len(created),
            "conflicts": len(found),
            "barred": sorted(barred),
        },
    )
    if "widened" in sol.stats:
        # The fallback widened the candidate set (the top-N candidates had no assignment): audited
        # with the reason, so the round's record shows it.
        audit_record(
            actor=actor,
            action="round.assign_widened",
            obj=rnd,
            after={**sol.stats["widened"], "input_hash": problem.digest()},
        )
    progress(100, _("完成"))
    rnd.refresh_from_db()
    return rnd


def round_rerun_check(*, round: Round) -> dict:
    """Re-solve the round from its stored input, seed and parameters (mode, and the fair mode's
    leximin depth and the like) and say whether the stored result is reproduced: the input hash, the
    objective, and the assignment byte for byte (the digest of the sorted pairs)."""
    if not round.solver_input:
        raise ApplicationError(_("本轮尚未分配。"), code="invalid_state")
    problem = problem_from_input(round.solver_input)
    stored = round.solver_result or {}
    params = stored.get("parameters") or {}
    sol = solver.solve(problem, mode=round.mode, seed=round.seed or 0, options=params)
    same_pairs = sorted(map(tuple, sol.pairs.tolist())) == sorted(map(tuple, stored.get("pairs", [])))
    digest = sol.assignment_digest()
    return {
        "input_hash_matches": problem.digest() == round.input_hash,
        "parameters": params,
        "objective": sol.objective,
        "stored_objective": stored.get("objective"),
        "objective_matches": sol.objective_int == stored.get("objective_int"),
        "worst_off": sol.worst_off,
        "stored_worst_off": stored.get("worst_off"),
        "same_pairs": same_pairs,
        "assignment_digest": digest,
        "same_bytes": digest == stored.get("assignment_digest")
        if "assignment_digest" in stored
        else same_pairs,
    }


def _as_round_subject(rnd: Round, subject) -> RoundSubject:
    if isinstance(subject, RoundSubject):
        if subject.round_id != rnd.pk:
            raise ApplicationError(_("该评审对象不属于本轮。"), code="invalid")
        return subject
    ct = ContentType.objects.get_for_model(subject)
    rs = RoundSubject.objects.filter(round=rnd, content_type=ct, object_id=subject.pk).first()
    if rs is None:
        raise ApplicationError(_("该评审对象不属于本轮。"), code="invalid")
    return rs


@transaction.atomic
def assignment_create_manual(
    *, actor, round: Round, subject, expert, reason: str, replace: Assignment | None = None
) -> Assignment:
    """Staff assign an expert by hand (optionally replacing one), with a reason. A conflicted pair is
    refused with every conflict's reason; so are an expert outside the pool, a duplicate, and a
    replacement whose review was already submitted."""
    require_role(actor, Role.STAFF, message=_(ONLY_STAFF))
    if not (reason or "").strip():
        raise ApplicationError(
            _("人工调整必须填写理由。"), code="reason_required", fields={"reason": [_("必填")]}
        )
    checked_text(reason, "reason", label=_("理由"), max_length=REASON_LENGTH)  # kept whole, never cut
    rnd = Round.objects.select_for_update().get(pk=round.pk)
    if rnd.status in (Round.Status.PANEL, Round.Status.CLOSED):
        raise ApplicationError(_("会评开始后不能再调整专家。"), code="invalid_state")
    rs = _as_round_subject(rnd, subject)
    reasons = selectors.conflicts_for(subject=rs, expert=expert, round=rnd)
    if reasons:
        raise ApplicationError(
            _("该专家需要回避，不能分配：%(reasons)s") % {"reasons": _("；").join(reasons)},
            code="conflict_of_interest",
        )
    profile = ExpertProfile.objects.filter(user=expert).first()
    if profile is None or profile.status != ExpertProfile.Status.APPROVED:
        raise ApplicationError(_("该用户不是已入库的专家。"), code="not_expert")
    barred = integrity_selectors.user_reasons(restriction=Restriction.EXPERT, user=expert)
    if barred:
        raise ApplicationError(
            _("该专家受科研诚信限制，不能分配：%(reasons)s") % {"reasons": " ".join(barred)},
            code="integrity_restricted",
        )
    if Assignment.objects.filter(subject=rs, expert=expert, status="active").exists():
        raise ApplicationError(_("该专家已经分配给这一评审对象。"), code="duplicate")
    if replace is not None:
        replace = Assignment.objects.select_for_update().get(pk=replace.pk)
        if replace.subject_id != rs.pk or replace.status != Assignment.Status.ACTIVE:
            raise ApplicationError(_("被替换的分配不属于该评审对象或已失效。"), code="invalid")
        review = getattr(replace, "review", None)
        if review is not None and review.status == Review.Status.SUBMITTED:
            raise ApplicationError(_("该专家已提交评审，不能替换。"), code="invalid_state")
        transition_apply(
            obj=replace,
            machine=workflow.ASSIGNMENT,
            action="replace",
            actor=actor,
            roles=roles_of(actor),
            reason=reason,
            extra_updates={"reason": reason},
        )
    load = Assignment.objects.filter(round=rnd, expert=expert, status="active").count()
    if load >= rnd.max_load:
        raise ApplicationError(_("该专家在本轮已分配%(n)d项，达到上限。") % {"n": load}, code="over_load")
    facts = selectors.subject_doc(rs.facts)
    model = affinity.fit([facts], [selectors.expert_doc(profile)])
    explanation = affinity.explain(model, 0, 0)
    a = Assignment(
        round=rnd,
        subject=rs,
        expert=expert,
        affinity=explanation["affinity"],
        explanation=explanation,
        source=Assignment.Source.MANUAL,
        reason=reason,
    )
    a.full_clean()
    a.save()
    Review.objects.create(assignment=a)
    audit_record(
        actor=actor,
        action="assignment.create_manual",
        obj=a,
        after={
            "round": rnd.pk,
            "subject": rs.pk,
            "expert": expert.pk,
            "replaces": replace.pk if replace else None,
        },
        reason=reason,
    )
    if rnd.status == Round.Status.REVIEWING:
        notify(
            recipients=[expert],
            title=Message(gettext_noop("您有新的评审任务：%(t)s"), t=rs.both_titles),
            url=a.review.get_absolute_url(),
            kind="review.assignment",
        )
    return a
