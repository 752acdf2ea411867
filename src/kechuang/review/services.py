"""Every write of the review app. Each checks permission, validates, and is audited."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation

import numpy as np
import scipy.sparse as sp
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.accounts.roles import Role, roles_of
from kechuang.core.audit import audit_record, diff, snapshot
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.notifications import notify
from kechuang.core.services import optimistic_save, transition_apply

from . import affinity, permissions, selectors, solver, workflow
from .conflicts import conflict_reasons
from .models import (
    Assignment,
    Collaborator,
    Conflict,
    Criterion,
    CriterionScore,
    DeclaredConflict,
    ExpertCredit,
    ExpertProfile,
    ExpertUnit,
    Review,
    ReviewForm,
    Round,
    RoundSubject,
)

PROFILE_FIELDS = (
    "title",
    "disciplines",
    "keywords",
    "city",
    "region",
    "publications",
    "available",
    "yearly_cap",
)
ONLY_STAFF = "只有科技厅工作人员可以执行此操作。"


def _require_staff(actor) -> None:
    if not permissions.is_staff(actor):
        raise PermissionDenied(_(ONLY_STAFF))


def _list_of_str(value) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        # a spreadsheet cell: text, or a number or date that Excel typed (one value)
        import re

        value = re.split(r"[,，;；、\s]+", str(value))
    return [str(v).strip() for v in value if str(v).strip()]


# --- expert pool -------------------------------------------------------------------------------------


@transaction.atomic
def expert_profile_create(*, actor, user, **fields) -> ExpertProfile:
    """Create a user's expert profile (the user themself, or staff). Starts as a draft."""
    if not (permissions.is_staff(actor) or getattr(actor, "pk", None) == user.pk):
        raise PermissionDenied(_("只能为本人创建专家档案。"))
    if ExpertProfile.objects.filter(user=user).exists():
        raise ApplicationError(_("该用户已有专家档案。"), code="exists")
    profile = ExpertProfile(user=user)
    for name in PROFILE_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(profile, name, _list_of_str(value) if name in ("disciplines", "keywords") else value)
    profile.full_clean()
    profile.save()
    audit_record(actor=actor, action="expert_profile.create", obj=profile, after=snapshot(profile))
    return profile


@transaction.atomic
def expert_profile_update(
    *, actor, profile: ExpertProfile, expected_version: int, reason: str = "", **fields
) -> ExpertProfile:
    """Change a profile's fields. An expert edits their own; an approved profile edited by its expert
    goes back to staff for approval. Refuses a stale version (someone saved in between)."""
    if not permissions.can_edit_profile(actor, profile):
        raise PermissionDenied(_("您无权修改此专家档案。"))
    before = snapshot(profile, PROFILE_FIELDS)
    changed = []
    for name in PROFILE_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(profile, name, _list_of_str(value) if name in ("disciplines", "keywords") else value)
            changed.append(name)
    profile.full_clean()
    optimistic_save(obj=profile, expected_version=expected_version, update_fields=changed)
    b, a = diff(before, snapshot(profile, PROFILE_FIELDS))
    if a:
        audit_record(
            actor=actor, action="expert_profile.update", obj=profile, before=b, after=a, reason=reason
        )
    if a and profile.status == ExpertProfile.Status.APPROVED and not permissions.is_staff(actor):
        expert_profile_transition(actor=actor, profile=profile, action="submit", reason=_("专家修改了档案"))
    return profile


@transaction.atomic
def expert_profile_transition(
    *, actor, profile: ExpertProfile, action: str, reason: str = ""
) -> ExpertProfile:
    """Submit (the expert), approve or reject (staff) a profile."""
    if action == "submit" and not permissions.can_edit_profile(actor, profile):
        raise PermissionDenied(_("您无权提交此专家档案。"))
    transition_apply(
        obj=profile,
        machine=workflow.PROFILE,
        action=action,
        actor=actor,
        roles=roles_of(actor),
        reason=reason,
        extra_updates={"review_note": reason[:300]} if action == "reject" else None,
    )
    if action in ("approve", "reject"):
        notify(
            recipients=[profile.user],
            title=_("您的专家档案已审核：%(result)s") % {"result": profile.get_status_display()},
            body=reason,
            url=profile.get_absolute_url(),
            kind="review.profile",
        )
    return profile


@transaction.atomic
def expert_unit_add(
    *, actor, profile: ExpertProfile, unit_name: str, unit=None, start=None, end=None
) -> ExpertUnit:
    """Record a past (or current) unit of the expert, with dates."""
    if not permissions.can_edit_profile(actor, profile):
        raise PermissionDenied(_("您无权修改此专家档案。"))
    row = ExpertUnit(
        profile=profile, unit=unit, unit_name=unit_name or (unit.name if unit else ""), start=start, end=end
    )
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        action="expert_unit.add",
        obj=profile,
        after=snapshot(row, ["unit_id", "unit_name", "start", "end"]),
    )
    return row


@transaction.atomic
def collaborator_add(
    *, actor, profile: ExpertProfile, name: str, user=None, unit_name: str = ""
) -> Collaborator:
    """Record a collaborator: their applications will be a conflict for this expert."""
    if not permissions.can_edit_profile(actor, profile):
        raise PermissionDenied(_("您无权修改此专家档案。"))
    row = Collaborator(profile=profile, name=name.strip(), user=user, unit_name=unit_name)
    row.full_clean()
    row.save()
    audit_record(
        actor=actor, action="collaborator.add", obj=profile, after={"name": row.name, "user": row.user_id}
    )
    return row


@transaction.atomic
def declared_conflict_add(
    *, actor, profile: ExpertProfile, reason: str, unit=None, person_name: str = "", subject=None
) -> DeclaredConflict:
    """The expert declares a conflict with a unit, a person or one subject."""
    if not permissions.can_edit_profile(actor, profile):
        raise PermissionDenied(_("您无权修改此专家档案。"))
    row = DeclaredConflict(profile=profile, unit=unit, person_name=person_name.strip(), reason=reason.strip())
    if subject is not None:
        row.content_type = ContentType.objects.get_for_model(subject)
        row.object_id = subject.pk
    row.full_clean()
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise ApplicationError(_("请指明回避的单位、人员或评审对象。"), code="invalid")
    audit_record(
        actor=actor,
        action="declared_conflict.add",
        obj=profile,
        after={"unit": row.unit_id, "person": row.person_name, "object": row.object_id},
        reason=row.reason,
    )
    return row


@transaction.atomic
def expert_credit_record(
    *, actor, profile: ExpertProfile, kind: str, note: str, points: int | None = None, round=None
) -> ExpertCredit:
    """Staff mark an expert's record (late, careless, no-show: negative; commended: positive)."""
    _require_staff(actor)
    if points is None:
        points = 1 if kind == ExpertCredit.Kind.COMMENDED else -1
    row = ExpertCredit(profile=profile, kind=kind, note=note, points=points, round=round, recorded_by=actor)
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        action="expert_credit.record",
        obj=profile,
        after={"kind": kind, "points": points},
        reason=note,
    )
    return row


IMPORT_COLUMNS = ("用户名", "姓名", "单位", "职称", "学科代码", "关键词", "城市", "年度上限", "邮箱")


def _user_field_errors(line: int, username: str, name: str, email: str) -> list:
    """The account's own rules (user name characters and length, name length, e-mail form) checked on the
    row, so that a bad row is reported with its line instead of failing the whole import at the write."""
    from django.core.exceptions import ValidationError

    from kechuang.accounts.models import User
    from kechuang.core.excel import RowError

    labels = {"username": "用户名", "full_name": "姓名", "email": "邮箱"}
    candidate = User(username=username, full_name=name, email=email)
    try:
        candidate.clean_fields(exclude=[f.name for f in User._meta.fields if f.name not in labels])
    except ValidationError as exc:
        return [
            RowError(line, "；".join(str(m) for m in messages), labels[field])
            for field, messages in exc.message_dict.items()
        ]
    return []


def expert_import(*, actor, data: bytes, filename: str, dry_run: bool = True):
    """Import experts from Excel/CSV (columns: IMPORT_COLUMNS). Every bad row is reported with its
    line; nothing is written unless the whole file is clean, and then all in one transaction.
    Existing users (by username) get their profile updated; new ones are created with the expert role."""
    from kechuang.accounts.models import Unit, User
    from kechuang.accounts.services import user_create
    from kechuang.core.excel import ImportReport, RowError, read_table

    _require_staff(actor)
    rows = read_table(data, filename, required=("用户名", "姓名", "单位"))
    report = ImportReport(total=len(rows), dry_run=dry_run)
    units = {u.name: u for u in Unit.objects.all()}
    seen = set()
    clean = []
    for row in rows:
        v = row.values
        username = str(v.get("用户名") or "").strip()
        name = str(v.get("姓名") or "").strip()
        unit_name = str(v.get("单位") or "").strip()
        errs = []
        if not username:
            errs.append(RowError(row.line, _("用户名不能为空。"), "用户名"))
        elif username in seen:
            errs.append(RowError(row.line, _("用户名在文件中重复。"), "用户名"))
        else:
            errs.extend(_user_field_errors(row.line, username, name, str(v.get("邮箱") or "").strip()))
        if not name:
            errs.append(RowError(row.line, _("姓名不能为空。"), "姓名"))
        if unit_name and unit_name not in units:
            errs.append(RowError(row.line, _("单位“%(unit)s”不在单位库中。") % {"unit": unit_name}, "单位"))
        cap_raw = v.get("年度上限")
        cap = 30
        if cap_raw not in (None, ""):
            try:
                cap = int(float(cap_raw))
                if cap < 0 or cap > 1000:
                    raise ValueError
            except (TypeError, ValueError):
                errs.append(RowError(row.line, _("年度上限应为0到1000之间的整数。"), "年度上限"))
        discs = _list_of_str(v.get("学科代码"))
        import re

        bad = [d for d in discs if not re.fullmatch(r"\d{3}(\.\d{2}(\d{2})?)?", d)]
        if bad:
            errs.append(
                RowError(row.line, _("学科代码格式不对：%(codes)s") % {"codes": "、".join(bad)}, "学科代码")
            )
        seen.add(username)
        if errs:
            report.errors.extend(errs)
            continue
        existing = User.objects.filter(username=username).first()
        if existing is not None and ExpertProfile.objects.filter(user=existing).exists():
            report.updated += 1
        else:
            report.created += 1
        clean.append(
            {
                "username": username,
                "name": name,
                "unit": units.get(unit_name),
                "title": str(v.get("职称") or "").strip(),
                "disciplines": discs,
                "keywords": _list_of_str(v.get("关键词")),
                "city": str(v.get("城市") or "").strip(),
                "cap": cap,
                "email": str(v.get("邮箱") or "").strip(),
            }
        )
    if dry_run or report.errors:
        return report
    with transaction.atomic():
        for c in clean:
            user = User.objects.filter(username=c["username"]).first()
            if user is None:
                user = user_create(
                    actor=actor,
                    username=c["username"],
                    password=None,
                    roles=[Role.EXPERT],
                    unit=c["unit"],
                    full_name=c["name"],
                    email=c["email"],
                )
            fields = {
                "title": c["title"],
                "disciplines": c["disciplines"],
                "keywords": c["keywords"],
                "city": c["city"] or (c["unit"].city if c["unit"] else ""),
                "yearly_cap": c["cap"],
            }
            profile = ExpertProfile.objects.filter(user=user).first()
            if profile is None:
                profile = expert_profile_create(actor=actor, user=user, **fields)
            else:
                profile = expert_profile_update(
                    actor=actor, profile=profile, expected_version=profile.version, **fields
                )
            if profile.status != ExpertProfile.Status.APPROVED:
                expert_profile_transition(
                    actor=actor, profile=profile, action="approve", reason=_("批量导入")
                )
    report.committed = True
    return report


# --- forms -------------------------------------------------------------------------------------------


@transaction.atomic
def form_create(
    *, actor, name: str, criteria: list[dict], description: str = "", scale: int = 100
) -> ReviewForm:
    """A scoring form with its weighted criteria.

    criteria: [{"code": "tech", "name": "技术先进性", "weight": 0.4, "max_score": 100, "anchors": "..."}]"""
    _require_staff(actor)
    if not criteria:
        raise ApplicationError(_("评分表至少需要一个评分指标。"), code="invalid")
    form = ReviewForm(name=name, description=description, scale=scale)
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


# --- rounds ------------------------------------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    actor,
    title: str,
    subjects: Sequence[models.Model],
    form: ReviewForm,
    k: int = 3,
    min_load: int = 0,
    max_load: int = 6,
    mode: str = "optimal",
    conflict_years: int = 5,
    same_city_rule: bool = False,
    seed: int | None = None,
    experts: models.QuerySet[ExpertProfile] | None = None,
    due: datetime.date | None = None,
) -> Round:
    """A round over reviewable objects of one kind. Stores each subject's facts (what conflicts and
    affinity read) so the round can be re-run and audited later. The expert pool defaults to every
    approved, available expert."""
    _require_staff(actor)
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
        form=form,
        subject_type=types.pop(),
        k=k,
        min_load=min_load,
        max_load=max_load,
        mode=mode,
        conflict_years=conflict_years,
        same_city_rule=same_city_rule,
        seed=seed,
        due=due,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    rnd.full_clean()
    rnd.save()
    pool = experts if experts is not None else ExpertProfile.objects.filter(status="approved", available=True)
    rnd.experts.set(list(pool))
    facts = [selectors.subject_facts(s) for s in subjects]
    RoundSubject.objects.bulk_create(
        [
            RoundSubject(
                round=rnd,
                content_type=rnd.subject_type,
                object_id=s.pk,
                title=str(f["title"])[:300],
                facts=f,
                order=i,
            )
            for i, (s, f) in enumerate(zip(subjects, facts))
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
                    "k",
                    "min_load",
                    "max_load",
                    "mode",
                    "conflict_years",
                    "same_city_rule",
                    "seed",
                ],
            ),
            "subjects": len(subjects),
            "experts": rnd.experts.count(),
        },
    )
    return rnd


def round_problem(rnd: Round, *, progress: Callable[[float, str], None] = solver._noop):
    """Build the solver's input for a round from its stored facts: conflicts (with reasons), affinity
    (with explanations), per-expert loads. Returns (problem, subjects, profiles, conflicts, model)."""
    subjects = list(rnd.subjects.order_by("order", "pk"))
    profiles = list(
        selectors.profiles_with_facts(rnd.experts.filter(available=True, status="approved")).order_by(
            "user_id"
        )
    )
    if not profiles:
        raise ApplicationError(_("本轮没有可用的专家（需已入库且可参加评审）。"), code="no_experts")
    n, m = len(subjects), len(profiles)
    progress(5, _("计算回避关系"))
    facts = [selectors.expert_facts(p) for p in profiles]
    today = timezone.localdate()
    found: list[tuple[int, int, str, str]] = []
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
    _require_staff(actor)
    if round.status not in (Round.Status.DRAFT, Round.Status.ASSIGNED):
        raise ApplicationError(_("评审已经开始，不能重新分配；请使用人工调整。"), code="invalid_state")
    if as_job:
        from kechuang.core.jobs import job_submit

        return job_submit(
            kind="review.assign",
            params={"round_id": round.pk},
            actor=actor,
            title=_("专家分配：%(title)s") % {"title": round.title},
        )
    return _round_assign_now(actor=actor, rnd=round, progress=progress or solver._noop)


@transaction.atomic
def _round_assign_now(*, actor, rnd: Round, progress) -> Round:
    rnd = Round.objects.select_for_update().get(pk=rnd.pk)
    if rnd.status not in (Round.Status.DRAFT, Round.Status.ASSIGNED):
        raise ApplicationError(_("评审已经开始，不能重新分配；请使用人工调整。"), code="invalid_state")
    problem, subjects, profiles, found, model = round_problem(rnd, progress=progress)
    seed = rnd.seed
    if rnd.mode == Round.Mode.RANDOM and seed is None:
        seed = secrets.randbelow(2**31)
    elif rnd.mode == Round.Mode.FAIR and seed is None:
        seed = 0  # fair mode's CP-SAT seed and tie-break: recorded so a re-run gives the same pairs
    progress(35, _("求解"))
    try:
        sol = solver.solve(
            problem, mode=rnd.mode, seed=seed or 0, progress=lambda p, msg: progress(35 + p * 0.5, msg)
        )
    except solver.InfeasibleError as exc:
        raise ApplicationError(
            _(
                "无法完成分配：每项需要%(k)d位专家，请放宽专家评审上限、扩大专家范围或检查回避关系。（%(detail)s）"
            )
            % {"k": rnd.k, "detail": exc},
            code="infeasible",
        )
    progress(90, _("保存分配结果"))
    # Recomputed conflicts replace the stored ones, except those an expert declared on this round.
    Conflict.objects.filter(round=rnd).exclude(rule="declared").delete()
    existing = set(Conflict.objects.filter(round=rnd).values_list("subject_id", "expert_id", "rule"))
    Conflict.objects.bulk_create(
        [
            Conflict(
                round=rnd, subject=subjects[i], expert_id=profiles[j].user_id, rule=rule, reason=reason[:300]
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
    result = {
        "mode": sol.mode,
        "objective": sol.objective,
        "objective_int": sol.objective_int,
        "worst_off": sol.worst_off,
        "seconds": round(sol.seconds, 3),
        "stats": sol.stats,
        "pairs": sol.pairs.tolist(),
        "conflicts": len(found),
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
        },
    )
    progress(100, _("完成"))
    rnd.refresh_from_db()
    return rnd


def round_rerun_check(*, round: Round) -> dict:
    """Re-solve the round from its stored input and say whether the stored result is reproduced
    (same input hash, same objective; for random mode the same pairs)."""
    if not round.solver_input:
        raise ApplicationError(_("本轮尚未分配。"), code="invalid_state")
    problem = problem_from_input(round.solver_input)
    sol = solver.solve(problem, mode=round.mode, seed=round.seed or 0)
    stored = round.solver_result or {}
    same_pairs = sorted(map(tuple, sol.pairs.tolist())) == sorted(map(tuple, stored.get("pairs", [])))
    return {
        "input_hash_matches": problem.digest() == round.input_hash,
        "objective": sol.objective,
        "stored_objective": stored.get("objective"),
        "objective_matches": sol.objective_int == stored.get("objective_int"),
        "same_pairs": same_pairs,
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
    _require_staff(actor)
    if not (reason or "").strip():
        raise ApplicationError(
            _("人工调整必须填写理由。"), code="reason_required", fields={"reason": [_("必填")]}
        )
    rnd = Round.objects.select_for_update().get(pk=round.pk)
    if rnd.status in (Round.Status.PANEL, Round.Status.CLOSED):
        raise ApplicationError(_("会评开始后不能再调整专家。"), code="invalid_state")
    rs = _as_round_subject(rnd, subject)
    reasons = selectors.conflicts_for(subject=rs, expert=expert, round=rnd)
    if reasons:
        raise ApplicationError(
            _("该专家需要回避，不能分配：%(reasons)s") % {"reasons": "；".join(reasons)},
            code="conflict_of_interest",
        )
    profile = ExpertProfile.objects.filter(user=expert).first()
    if profile is None or profile.status != ExpertProfile.Status.APPROVED:
        raise ApplicationError(_("该用户不是已入库的专家。"), code="not_expert")
    if Assignment.objects.filter(subject=rs, expert=expert, status="active").exists():
        raise ApplicationError(_("该专家已经分配给这一评审对象。"), code="duplicate")
    if replace is not None:
        replace = Assignment.objects.select_for_update().get(pk=replace.pk)
        if replace.subject_id != rs.pk or replace.status != Assignment.Status.ACTIVE:
            raise ApplicationError(_("被替换的分配不属于该评审对象或已失效。"), code="invalid")
        review = getattr(replace, "review", None)
        if review is not None and review.status == Review.Status.SUBMITTED:
            raise ApplicationError(_("该专家已提交评审，不能替换。"), code="invalid_state")
        replace.status = Assignment.Status.REPLACED
        replace.reason = reason[:300]
        replace.save(update_fields=["status", "reason", "updated_at"])
        audit_record(
            actor=actor,
            action="assignment.replace",
            obj=replace,
            before={"status": "active"},
            after={"status": "replaced"},
            reason=reason,
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
        reason=reason[:300],
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
            title=_("您有新的评审任务：%(t)s") % {"t": rs.title},
            url=a.review.get_absolute_url(),
            kind="review.assignment",
        )
    return a


@transaction.atomic
def round_transition(*, actor, round: Round, action: str, reason: str = "") -> Round:
    """Start reviewing (notifies every assigned expert), move to the panel (reviews still open after the
    due date are recorded as late on the experts' credit records), reopen or close a round."""
    _require_staff(actor)
    transition_apply(
        obj=round, machine=workflow.ROUND, action=action, actor=actor, roles=roles_of(actor), reason=reason
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
            title=_("请完成评审：%(t)s") % {"t": round.title},
            body=_("您有新的评审任务，请先声明无利益冲突再开始评审。"),
            url="/review/my/",
            kind="review.assignment",
        )
    return round


# --- reviews -----------------------------------------------------------------------------------------


def _own_review(actor, review: Review) -> Review:
    review = Review.objects.select_related("assignment", "assignment__round", "assignment__round__form").get(
        pk=review.pk
    )
    if review.assignment.expert_id != getattr(actor, "pk", None) or review.assignment.status != "active":
        raise PermissionDenied(_("这不是您的评审任务。"))
    return review


@transaction.atomic
def review_open(*, actor, review: Review) -> Review:
    """The expert declares no conflict of interest and opens the review (both recorded)."""
    review = _own_review(actor, review)
    if review.status != Review.Status.PENDING:
        raise ApplicationError(_("该评审已经开始或已结束。"), code="invalid_state")
    now = timezone.now()
    review.declared_no_conflict_at = now
    review.save(update_fields=["declared_no_conflict_at", "updated_at"])
    audit_record(
        actor=actor, action="review.declare_no_conflict", obj=review, after={"declared_no_conflict_at": now}
    )
    transition_apply(obj=review, machine=workflow.REVIEW, action="open", actor=actor, roles=roles_of(actor))
    review.refresh_from_db()
    return review


@transaction.atomic
def review_decline(*, actor, review: Review, reason: str) -> Review:
    """The expert declares a conflict with this subject: the review is declined, the conflict kept for
    the round and the expert's profile, and staff are told to assign someone else."""
    review = _own_review(actor, review)
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
        round=a.round, subject=a.subject, expert=a.expert, rule="declared", defaults={"reason": reason[:300]}
    )
    profile = ExpertProfile.objects.filter(user=actor).first()
    if profile is not None:
        DeclaredConflict.objects.create(
            profile=profile,
            content_type=a.subject.content_type,
            object_id=a.subject.object_id,
            reason=reason[:300],
        )
    from kechuang.accounts.selectors import users_with_role

    notify(
        recipients=list(users_with_role(Role.STAFF)),
        title=_("专家声明回避，需要重新分配：%(t)s") % {"t": a.subject.title},
        body=reason,
        url=a.round.get_absolute_url(),
        kind="review.declined",
    )
    review.refresh_from_db()
    return review


@transaction.atomic
def review_save(
    *,
    actor,
    review: Review,
    expected_version: int,
    scores: dict[str, float],
    comments: str = "",
    opinion: str = "",
    recommendation: str = "",
) -> Review:
    """Save the expert's draft: scores per criterion code (0..max), comments, public opinion and
    recommendation. Refused unless the review is the actor's and open; refused when stale."""
    review = _own_review(actor, review)
    if not permissions.can_edit_review(actor, review):
        raise ApplicationError(
            _("该评审当前不能修改（请先声明无利益冲突并开始评审）。"), code="invalid_state"
        )
    criteria = {c.code: c for c in review.assignment.round.form.criteria.all()}
    errors = {}
    clean: dict[str, Decimal] = {}
    for code, value in scores.items():
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
    review.comments, review.opinion, review.recommendation = comments, opinion, recommendation
    optimistic_save(
        obj=review, expected_version=expected_version, update_fields=["comments", "opinion", "recommendation"]
    )
    old = {s.criterion.code: s.score for s in review.scores.select_related("criterion")}
    for code, val in clean.items():
        CriterionScore.objects.update_or_create(
            review=review, criterion=criteria[code], defaults={"score": val}
        )
    audit_record(
        actor=actor,
        action="review.save",
        obj=review,
        before={**before, "scores": {k: str(v) for k, v in old.items()}},
        after={
            "comments": comments,
            "recommendation": recommendation,
            "scores": {k: str(v) for k, v in clean.items()},
        },
    )
    return review


@transaction.atomic
def review_submit(*, actor, review: Review) -> Review:
    """Submit once: every criterion scored, a recommendation and comments; the weighted total is fixed."""
    from . import scoring

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
    transition_apply(
        obj=review,
        machine=workflow.REVIEW,
        action="submit",
        actor=actor,
        roles=roles_of(actor),
        extra_updates={"total": total, "submitted_at": timezone.now()},
    )
    review.refresh_from_db()
    return review


@transaction.atomic
def review_reopen(*, actor, review: Review, reason: str) -> Review:
    """Staff send a submitted review back to its expert, with a reason."""
    _require_staff(actor)
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
        title=_("评审被退回修改"),
        body=reason,
        url=review.get_absolute_url(),
        kind="review.reopen",
    )
    return review


@transaction.atomic
def review_release(*, actor, review: Review, released: bool = True) -> Review:
    """Staff release (or withdraw) a review's public opinion to the applicant, without the expert's name."""
    _require_staff(actor)
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
    return review


@transaction.atomic
def external_subject_create(*, actor, title: str, excluded_units=(), **fields):
    """A reviewed item entered directly in review (staff)."""
    from .models import ExternalSubject

    _require_staff(actor)
    obj = ExternalSubject(title=title, **fields)
    obj.full_clean()
    obj.save()
    if excluded_units:
        obj.excluded_units.set(excluded_units)
    audit_record(actor=actor, action="external_subject.create", obj=obj, after=snapshot(obj))
    return obj
