"""The generated dataset's expert pool and the review rounds of the challenges (see core.gendata).

The rounds to run come from the generator of the subjects' app (challenges, which runs first) through
`ctx.shared`: "review_rounds", the subjects' model, the criteria and a callback that records the scores back.

Conflicts are found with the review app's own rules (conflicts.conflict_reasons) on the facts each round
stores, so no generated assignment pairs an expert with an application the engine would forbid; the
conflicts found among the candidates are stored with their reasons, as a round does.
"""

import datetime
from decimal import Decimal

from kechuang.core.gendata import Context, spread
from kechuang.core.gendata_words import EXPERT_TITLES, FIELDS
from kechuang.core.reviewable import Person, ReviewSubject

from .conflicts import ExpertFacts, PastUnit, conflict_reasons
from .models import (
    Assignment,
    Collaborator,
    Conflict,
    Criterion,
    CriterionScore,
    DeclaredConflict,
    ExpertProfile,
    ExpertUnit,
    Review,
    ReviewForm,
    Round,
    RoundSubject,
)

REVIEWING_MIX = (["pending", "opened", "submitted", "declined"], [30, 15, 52, 3])
RECOMMEND = [(85, "strong"), (75, "support"), (65, "revise"), (0, "reject")]
GD_EXPERT_PENDING = 40


def _recommendation(total: float) -> str:
    return next(r for floor, r in RECOMMEND if total >= floor)


def generate(ctx: Context) -> None:
    rng = ctx.rng("review")
    sh = ctx.shared
    staff = sh["users"]["staff"][0]
    staff_actor = (staff[0], staff[3])
    units = sh["units"]
    unit_of = sh["unit_of"]
    gd_expert = sh["known"]["gd_expert"]

    # The pool ---------------------------------------------------------------------------------------
    experts = []  # (user id, field index, ExpertFacts)
    by_field: dict[int, list] = {}
    applicant_people = sh["users"]["applicant"]
    for uid, unit_id, name, _username in sh["users"]["expert"]:
        fi = rng.randrange(len(FIELDS))
        industry, keywords, disciplines, _s = FIELDS[fi]
        unit = unit_of[unit_id]
        status = (
            "approved"
            if uid == gd_expert
            else rng.choices(["approved", "submitted", "draft", "rejected"], [90, 5, 3, 2])[0]
        )
        joined = ctx.at(ctx.day(rng.randint(100, 1500)))
        pid = ctx.add(
            ExpertProfile,
            user_id=uid,
            title=rng.choice(EXPERT_TITLES),
            disciplines=list(disciplines),
            keywords=rng.sample(keywords, 3),
            city=unit[3],
            region=unit[2],
            publications=f"长期从事{industry}领域研究，主持{rng.choice(keywords)}相关项目多项。",
            available=uid == gd_expert or rng.random() < 0.95,
            yearly_cap=30,
            status=status,
            review_note="请补充代表性成果。" if status == "rejected" else "",
            created_at=joined,
            updated_at=joined,
        )
        ctx.audit(
            action="expert_profile.approve" if status == "approved" else "expert_profile.create",
            model=ExpertProfile,
            obj_id=pid,
            obj_repr=name,
            at=joined,
            actor=staff_actor,
        )
        start = ctx.day(rng.randint(2000, 6000))
        ctx.add(
            ExpertUnit, profile_id=pid, unit_id=unit_id, unit_name=unit[5], start=start, created_at=joined
        )
        past = []
        if rng.random() < 0.3 and uid != gd_expert:
            other = rng.choice(units)
            if other[0] != unit_id:
                p_end = start - datetime.timedelta(days=1)
                p_start = p_end - datetime.timedelta(days=rng.randint(700, 3000))
                ctx.add(
                    ExpertUnit,
                    profile_id=pid,
                    unit_id=other[0],
                    unit_name=other[5],
                    start=p_start,
                    end=p_end,
                    created_at=joined,
                )
                past.append(PastUnit(other[0], other[5], p_start, p_end))
        collab_names, collab_ids = [], []
        if rng.random() < 0.1 and uid != gd_expert:
            cu = rng.choice(applicant_people)
            ctx.add(
                Collaborator,
                profile_id=pid,
                name=cu[2],
                user_id=cu[0],
                unit_name=unit_of[cu[1]][5],
                created_at=joined,
            )
            collab_names.append(cu[2])
            collab_ids.append(cu[0])
        declared = []
        if rng.random() < 0.03 and uid != gd_expert:
            other = rng.choice(sh["units_by_kind"]["enterprise"])
            ctx.add(
                DeclaredConflict,
                profile_id=pid,
                unit_id=other[0],
                reason="曾为该单位提供技术咨询。",
                created_at=joined,
            )
            declared.append(other[0])
        facts = ExpertFacts(
            user_id=uid,
            name=name,
            unit_id=unit_id,
            unit_name=unit[5],
            city=unit[3],
            past_units=tuple(past),
            collaborator_names=tuple(collab_names),
            collaborator_user_ids=tuple(collab_ids),
            declared_unit_ids=tuple(declared),
        )
        if status == "approved":
            experts.append((uid, fi, facts, pid))
            by_field.setdefault(fi, []).append((uid, fi, facts, pid))
    gd = next(e for e in experts if e[0] == gd_expert)
    by_unit: dict[int, list] = {}
    for e in experts:
        by_unit.setdefault(e[2].unit_id, []).append(e)

    # Rounds -----------------------------------------------------------------------------------------
    rounds = sh.get("review_rounds", [])
    subjects_total = sum(len(r["apps"]) for r in rounds)
    per_subject = spread(ctx.plan["reviews"], subjects_total, rng, 0.8, 1.2)
    per_subject = [min(12, max(2, k)) for k in per_subject]
    app_ct = ctx.ct(sh["review_subject_model"]) if rounds else None
    scores_out: dict[int, tuple] = {}
    gd_pending = 0
    si = 0
    for rnd in rounds:
        c = rnd["challenge"]
        created = c["deadline"] + datetime.timedelta(days=5)
        form_id = ctx.add(
            ReviewForm, name=f"{c['code']} 评审表", description="", scale=100, created_at=created
        )
        criteria = []
        for order, crit in enumerate(sh["review_criteria"], start=1):
            cid = ctx.add(
                Criterion,
                form_id=form_id,
                code=crit["code"],
                name=crit["name"],
                weight=Decimal(str(crit["weight"])),
                max_score=100,
                anchors="",
                order=order,
                created_at=created,
            )
            criteria.append((cid, Decimal(str(crit["weight"]))))
        status = rnd["status"]
        due = (created + datetime.timedelta(days=21)).date()
        if status == "reviewing":
            due = max(due, ctx.as_of + datetime.timedelta(days=14))
        ctx.add(
            Round,
            id=rnd["id"],
            title=f"{c['code']} {c['title']} 专家评审",
            form_id=form_id,
            subject_type_id=app_ct,
            k=max(per_subject[si : si + len(rnd["apps"])] or [3]),
            min_load=0,
            max_load=12,
            mode="optimal",
            conflict_years=5,
            same_city_rule=False,
            seed=None,
            status=status,
            input_hash="",
            assigned_at=created + datetime.timedelta(days=1),
            due=due,
            created_by_id=staff[0],
            created_at=created,
            updated_at=created,
        )
        ctx.audit(
            action="round.create",
            model=Round,
            obj_id=rnd["id"],
            obj_repr=c["code"],
            at=created,
            actor=staff_actor,
        )
        ctx.audit(
            action="round.assign",
            model=Round,
            obj_id=rnd["id"],
            obj_repr=c["code"],
            at=created + datetime.timedelta(days=1),
            actor=staff_actor,
            before={"status": "draft"},
            after={"status": "assigned"},
        )
        ctx.audit(
            action="round.start",
            model=Round,
            obj_id=rnd["id"],
            obj_repr=c["code"],
            at=created + datetime.timedelta(days=2),
            actor=staff_actor,
            before={"status": "assigned"},
            after={"status": "reviewing"},
        )
        pool: dict[int, int] = {}  # user id -> profile id
        app_totals: dict[int, list[float]] = {}
        winners = {a["id"] for a in rnd["apps"] if a["status"] in ("proposed", "awarded")}
        for order, a in enumerate(rnd["apps"]):
            k = per_subject[si]
            si += 1
            subject = _subject(a)
            facts = _facts(a, subject)
            rs = ctx.add(
                RoundSubject,
                round_id=rnd["id"],
                content_type_id=app_ct,
                object_id=a["id"],
                title=a["title"],
                facts=facts,
                order=order,
                created_at=created,
            )
            key = f"{app_ct}:{a['id']}"
            chosen = []
            seen = set()
            want_gd = status == "reviewing" and gd_pending < GD_EXPERT_PENDING
            same_field = by_field.get(a.get("field", -1)) or experts
            tries = 0
            while len(chosen) < k and tries < 20 * k + 20:
                tries += 1
                if want_gd and tries == 1:
                    cand = gd
                elif tries == 2 and by_unit.get(a["unit_id"]) and rng.random() < 0.5:
                    cand = rng.choice(by_unit[a["unit_id"]])  # a colleague: found and kept out
                else:
                    cand = rng.choice(same_field if rng.random() < 0.7 else experts)
                if cand[0] in seen:
                    continue
                seen.add(cand[0])
                pool[cand[0]] = cand[3]
                reasons = conflict_reasons(
                    subject, cand[2], today=ctx.as_of, conflict_years=5, subject_key=key
                )
                if reasons:
                    for rule, reason in reasons:
                        ctx.add(
                            Conflict,
                            round_id=rnd["id"],
                            subject_id=rs,
                            expert_id=cand[0],
                            rule=rule,
                            reason=reason[:300],
                            created_at=created,
                        )
                    continue
                chosen.append(cand)
            quality = rng.uniform(84, 95) if a["id"] in winners else rng.uniform(55, 83)
            for cand in chosen:
                is_gd = cand[0] == gd_expert and status == "reviewing"
                aff = round(rng.uniform(0.2, 0.9), 4)
                asg = ctx.add(
                    Assignment,
                    round_id=rnd["id"],
                    subject_id=rs,
                    expert_id=cand[0],
                    affinity=aff,
                    explanation={"terms": a["keywords"][:2]},
                    source="solver",
                    status="active",
                    reason="",
                    created_at=created + datetime.timedelta(days=1),
                )
                if is_gd:
                    gd_pending += 1
                    rstatus = "pending"
                elif status == "reviewing":
                    rstatus = rng.choices(*REVIEWING_MIX)[0]
                else:
                    rstatus = "submitted"
                _review(
                    ctx,
                    rng,
                    asg,
                    rstatus,
                    cand,
                    criteria,
                    quality,
                    created,
                    app_totals.setdefault(a["id"], []),
                    a["title"],
                )
        for _uid, pid in sorted(pool.items()):
            ctx.add(Round.experts.through, round_id=rnd["id"], expertprofile_id=pid)
        if status == "closed":
            ranked = sorted(
                ((round(sum(t) / len(t), 2), aid) for aid, t in app_totals.items() if t),
                key=lambda x: (-x[0], x[1]),
            )
            for rank, (score, aid) in enumerate(ranked, start=1):
                scores_out[aid] = (Decimal(f"{score:.2f}"), rank)
            ctx.audit(
                action="round.panel",
                model=Round,
                obj_id=rnd["id"],
                obj_repr=c["code"],
                at=created + datetime.timedelta(days=25),
                actor=staff_actor,
            )
            ctx.audit(
                action="round.close",
                model=Round,
                obj_id=rnd["id"],
                obj_repr=c["code"],
                at=created + datetime.timedelta(days=30),
                actor=staff_actor,
            )
    if record := sh.get("review_scores_record"):
        record(ctx, scores_out)
    sh["experts"] = experts


def _subject(a) -> ReviewSubject:
    people = [Person(name=a["leader_name"], user_id=a["leader"], unit_id=a["unit_id"], role="leader")]
    people += [Person(name=m, user_id=None, unit_id=a["unit_id"], role="member") for m in a["members"]]
    return ReviewSubject(
        title=a["title"],
        text=a["text"],
        keywords=tuple(a["keywords"]),
        disciplines=tuple(a["disciplines"]),
        unit_ids=(a["unit_id"],),
        people=tuple(people),
        excluded_unit_ids=tuple(a["avoid_units"]),
        excluded_names=(),
        city=a["city"],
    )


def _facts(a, s: ReviewSubject) -> dict:
    return {
        "title": s.title,
        "text": s.text,
        "keywords": list(s.keywords),
        "disciplines": list(s.disciplines),
        "unit_ids": list(s.unit_ids),
        "people": [
            {"name": p.name, "user_id": p.user_id, "unit_id": p.unit_id, "role": p.role} for p in s.people
        ],
        "excluded_unit_ids": list(s.excluded_unit_ids),
        "excluded_names": [],
        "city": s.city,
    }


def _review(ctx, rng, asg, status, cand, criteria, quality, created, totals, title) -> None:
    actor = ctx.actor(cand[0])
    opened = created + datetime.timedelta(days=rng.randint(2, 10), minutes=rng.randint(0, 600))
    submitted = opened + datetime.timedelta(hours=rng.randint(1, 72))
    scores = []
    total = None
    if status in ("submitted", "opened"):
        expert_view = quality + rng.gauss(0, 5)
        n = len(criteria) if status == "submitted" else 2
        for cid, w in criteria[:n]:
            s = Decimal(f"{min(100.0, max(30.0, expert_view + rng.gauss(0, 4))):.2f}")
            scores.append((cid, w, s))
        if status == "submitted":
            total = sum(w * s for _c, w, s in scores).quantize(Decimal("0.0001"))
            totals.append(float(total))
    rid = ctx.add(
        Review,
        assignment_id=asg,
        status=status,
        comments="技术路线清晰，团队基础较好，建议加强中试验证环节。" if status == "submitted" else "",
        opinion="方案可行，建议细化经费预算。" if status == "submitted" else "",
        recommendation=_recommendation(float(total)) if total is not None else "",
        total=total,
        declared_no_conflict_at=opened if status in ("opened", "submitted") else None,
        submitted_at=submitted if status == "submitted" else None,
        released=False,
        created_at=created,
        updated_at=submitted if status == "submitted" else created,
    )
    for cid, _w, s in scores:
        ctx.add(CriterionScore, review_id=rid, criterion_id=cid, score=s, created_at=opened)
    if status in ("opened", "submitted"):
        ctx.transition("review.open", Review, rid, title, opened, actor, "pending", "opened")
    if status == "submitted":
        ctx.transition("review.submit", Review, rid, title, submitted, actor, "opened", "submitted")
    if status == "declined":
        ctx.transition(
            "review.decline",
            Review,
            rid,
            title,
            opened,
            actor,
            "pending",
            "declined",
            "与申报单位存在合作关系。",
        )
