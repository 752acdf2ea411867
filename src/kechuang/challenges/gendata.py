"""The generated dataset's open challenges (see core.gendata): needs grouped into TRL-graded topics,
challenge lists in every state of their machine, applications whose states follow their challenge's,
publicity and objections, and for the winners contracts with commissioners, indicators, milestones,
mid-term checks, acceptance, results and transfers.

The review rounds of the challenges are planned here (which applications, which round state) and written
by kechuang.review's generator, which records the review scores back through `scores_record`.
"""

import datetime

from django.db import connection

from kechuang.accounts.gendata import person_name
from kechuang.core.gendata import Context, money
from kechuang.core.gendata_words import FIELDS, MEMBER_TITLES, TECH_WORDS
from kechuang.review.models import Round

from . import industries, programme
from .models import (
    Acceptance,
    AcceptanceItem,
    Application,
    ApplicationMember,
    ApplicationMilestone,
    Challenge,
    ChallengeIndicator,
    ChangeRequest,
    Contract,
    ContractIndicator,
    MidtermCheck,
    Milestone,
    MilestoneValue,
    Need,
    Objection,
    Publicity,
    Result,
    Topic,
    Transfer,
)

# Challenge state, its share, and what its applications went through.
CHALLENGE_SHARES = [
    ("draft", 0.04),
    ("published", 0.14),
    ("closed_pre", 0.05),  # closed, formal check under way
    ("closed_review", 0.10),  # closed, expert review under way (round "reviewing")
    ("closed_publicity", 0.04),  # closed, proposed winners in publicity (round closed)
    ("awarded", 0.40),
    ("finished", 0.19),
    ("cancelled", 0.04),
]
CRITERIA = [
    {"code": "tech", "name": "技术先进性", "weight": 0.4},
    {"code": "team", "name": "团队实力", "weight": 0.2},
    {"code": "plan", "name": "实施方案可行性", "weight": 0.25},
    {"code": "budget", "name": "经费合理性", "weight": 0.15},
]
INDICATORS = [
    ("关键性能指标", "%", 60, 90),
    ("国产化率", "%", 20, 80),
    ("单位成本", "元/件", 500, 200),
    ("良品率", "%", 70, 95),
    ("连续运行时间", "小时", 100, 1000),
]
TRL_TRACK = {"industrialisation": (6, 9), "pilot": (4, 7), "frontier": (2, 5), "carbon": (3, 7)}


def _deadline(ctx: Context, days_from_now: int) -> datetime.datetime:
    """17:00 in China (09:00 UTC) on the day `days_from_now` days from as_of."""
    day = ctx.as_of + datetime.timedelta(days=days_from_now)
    return datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=datetime.UTC)


def generate(ctx: Context) -> None:
    rng = ctx.rng("challenges")
    sh = ctx.shared
    staff = sh["users"]["staff"]
    staff_actor = (staff[0][0], staff[0][3])
    commissioners = [u for u in sh["users"]["commissioner"] if u[3] != "gd_commissioner"]
    gd_comm = sh["known"]["gd_commissioner"]
    gd_app = sh["known"]["gd_applicant"]
    enterprises = sh["units_by_kind"]["enterprise"]
    unit_of = sh["unit_of"]
    applicants = [u for u in sh["users"]["applicant"] if u[3] != "gd_applicant"]
    n_ch = ctx.plan["challenges"]

    # Topics and needs ------------------------------------------------------------------------------
    titles: set[str] = set()
    topics = []  # (id, field index, title, track)
    for i in range(n_ch + n_ch // 5):
        fi = rng.randrange(len(FIELDS))
        industry, keywords, _d, subjects = FIELDS[fi]
        base = f"{rng.choice(subjects)}{rng.choice(TECH_WORDS)}"
        title, n = base, 1
        while title in titles:
            n += 1
            title = f"{base}（{rng.choice(keywords)}方向）" if n == 2 else f"{base}（第{n}批）"
        titles.add(title)
        track = rng.choice(list(TRL_TRACK))
        lo, hi = TRL_TRACK[track]
        base_trl = rng.randint(lo, hi - 1)
        created = ctx.at(ctx.day(rng.randint(30, 1800)))
        tid = ctx.add(
            Topic,
            title=title,
            description=f"凝练自{industry}领域企业提出的技术需求。",
            industry=industries.closest(industry),
            track=track,
            trl_baseline=base_trl,
            trl_target=rng.randint(base_trl + 1, hi),
            created_at=created,
            updated_at=created,
        )
        topics.append((tid, fi, title, track))
        ctx.audit(
            action="topic.create", model=Topic, obj_id=tid, obj_repr=title, at=created, actor=staff_actor
        )
        for _k in range(rng.randint(1, 4)):
            unit = rng.choice(enterprises)
            nid = ctx.add(
                Need,
                title=f"{unit[5][:20]}关于{rng.choice(subjects)}的需求",
                problem=f"我单位在{rng.choice(keywords)}方面存在技术瓶颈，亟需联合攻关。",
                indicators_wanted="关键指标达到国内领先水平。",
                cofund_budget=money(rng.choice([0, 50, 100, 200, 500])),
                industry=industries.closest(industry),
                urgency=rng.choice(["low", "medium", "high"]),
                unit_id=unit[0],
                topic_id=tid if i < n_ch or rng.random() < 0.5 else None,
                created_at=created - datetime.timedelta(days=rng.randint(10, 60)),
                updated_at=created,
            )
            ctx.audit(
                action="need.submit",
                model=Need,
                obj_id=nid,
                obj_repr="需求",
                at=created,
                actor=(None, "gendata"),
            )
    sh["topics"] = topics

    # Challenges ------------------------------------------------------------------------------------
    kinds = [k for k, _s in CHALLENGE_SHARES]
    weights = [s for _k, s in CHALLENGE_SHARES]
    states = [rng.choices(kinds, weights)[0] for _ in range(n_ch)]
    # Every state at least once (the tiny scale must still show each), and gd_applicant's mix first.
    for i, k in enumerate(kinds):
        states[i] = k
    challenges = []
    seq_by_year: dict[int, int] = {}
    # Every list runs on the seeded 揭榜挂帅 programme version (issue #18), its applications on its form.
    # Seeded through its own (audited) service, the writer's ids synced around it.
    with ctx.services_at(ctx.at(ctx.as_of)):
        pinned = programme.seed()
        application_form = programme.stage_form(pinned, "application")
    for i, state in enumerate(states):
        tid, fi, ttitle, _track = topics[i]
        industry, keywords, disciplines, subjects = FIELDS[fi]
        status = state.split("_")[0]
        days = {
            "draft": rng.randint(30, 90),
            "published": rng.randint(5, 60),
            "closed": -rng.randint(20, 90),
            "awarded": -rng.randint(200, 900),
            "finished": -rng.randint(1000, 1500),
            "cancelled": -rng.randint(30, 1200),
        }[status]
        if state == "closed_publicity":
            days = -rng.randint(60, 90)
        deadline = _deadline(ctx, days)
        published_at = None if status == "draft" else deadline - datetime.timedelta(days=60)
        year = (published_at or deadline).year
        seq_by_year[year] = seq_by_year.get(year, 0) + 1
        code = f"JB{year}-{seq_by_year[year]:04d}"
        created = (published_at or ctx.at(ctx.as_of)) - datetime.timedelta(days=20)
        title = f"{ttitle}揭榜挂帅项目"
        racing = rng.random() < 0.1
        cofunder = rng.choice(enterprises) if rng.random() < 0.4 else None
        round_id = (
            ctx.writer.next_id(Round)
            if state in ("closed_review", "closed_publicity", "awarded", "finished")
            else None
        )
        cid = ctx.add(
            Challenge,
            code=code,
            year=year,
            topic_id=tid,
            title=title,
            problem=f"围绕{ttitle}，突破{rng.choice(keywords)}等关键环节的技术瓶颈。",
            goal="形成具有自主知识产权的成套技术并实现工程化应用。",
            budget_ceiling=money(rng.choice([300, 500, 800, 1000, 1500, 2000])),
            cofunder_id=cofunder[0] if cofunder else None,
            cofund_share=money(rng.choice([20, 30, 40, 50])) if cofunder else money(0),
            ip_terms="知识产权归揭榜单位所有，联合出资单位享有优先实施权。",
            duration_months=rng.choice([24, 36]),
            eligibility="在本省注册的法人单位，具有相应研发能力。",
            unit_kinds=["enterprise", "university", "institute"] if rng.random() < 0.3 else [],
            max_active_per_leader=2,
            deadline=deadline,
            max_winners=rng.choice([2, 3]) if racing else 1,
            criteria=CRITERIA,
            status=status,
            published_at=published_at,
            review_round_id=round_id,
            programme_version_id=pinned.pk,
            created_by_id=staff[0][0],
            created_at=created,
            updated_at=created,
        )
        ctx.audit(
            action="challenge.create",
            model=Challenge,
            obj_id=cid,
            obj_repr=code,
            at=created,
            actor=staff_actor,
        )
        if published_at:
            ctx.transition(
                "challenge.publish", Challenge, cid, code, published_at, staff_actor, "draft", "published"
            )
        if status in ("closed", "awarded", "finished"):
            ctx.transition(
                "challenge.close", Challenge, cid, code, deadline, (None, "system"), "published", "closed"
            )
        if status == "cancelled":
            ctx.transition(
                "challenge.cancel",
                Challenge,
                cid,
                code,
                deadline,
                staff_actor,
                "published",
                "cancelled",
                "需求单位调整研发计划。",
            )
        for seq, (name, unit, base, target) in enumerate(rng.sample(INDICATORS, 3), start=1):
            ctx.add(
                ChallengeIndicator,
                challenge_id=cid,
                seq=seq,
                name=name,
                unit=unit,
                baseline=base,
                target=target,
                higher_is_better=target >= base,
                created_at=created,
            )
        challenges.append(
            {
                "id": cid,
                "code": code,
                "title": title,
                "state": state,
                "status": status,
                "deadline": deadline,
                "field": fi,
                "max_winners": 2 if racing else 1,
                "round_id": round_id,
                "topic": tid,
                "form_id": application_form.pk if application_form else None,
            }
        )

    # Applications ------------------------------------------------------------------------------------
    open_ch = [c for c in challenges if c["status"] != "draft"]
    counts = _split(ctx.plan["applications"], len(open_ch), rng)
    # gd_applicant's unit applies to the first challenge of each state that takes applications.
    gd_unit = sh["user_unit"][gd_app]
    gd_first = {}
    for c in open_ch:
        gd_first.setdefault(c["state"], c["id"])
    apps = []
    rounds = []
    for c, count in zip(open_ch, counts, strict=True):
        used_units: set[int] = set()
        chosen = []
        if c["id"] in gd_first.values():
            chosen.append((gd_app, gd_unit, "韩总工"))
            used_units.add(gd_unit)
        tries = 0
        while len(chosen) < count and tries < count * 20:
            tries += 1
            uid, unit_id, name, _u = rng.choice(applicants)
            if unit_id in used_units:
                continue
            used_units.add(unit_id)
            chosen.append((uid, unit_id, name))
        statuses = _app_statuses(c, len(chosen), rng)
        c_apps = []
        for (leader, unit_id, leader_name), status in zip(chosen, statuses, strict=True):
            if leader == gd_app and c["state"] == "published":
                status = "draft"
            a = _application(ctx, rng, c, leader, unit_id, leader_name, status, unit_of, staff_actor)
            c_apps.append(a)
            apps.append(a)
        reviewed = [a for a in c_apps if a["reviewed"]]
        if c["round_id"] and reviewed:
            rounds.append(
                {
                    "id": c["round_id"],
                    "challenge": c,
                    "status": {"closed_review": "reviewing"}.get(c["state"], "closed"),
                    "apps": reviewed,
                }
            )
        if c["state"] in ("closed_publicity", "awarded", "finished"):
            _publicity(ctx, rng, c, c_apps, staff_actor)
    sh["challenge_list"] = challenges
    sh["applications"] = apps
    # What review's generator needs to run these rounds, handed down so that review never imports challenges.
    sh["review_rounds"] = rounds
    sh["review_subject_model"] = Application
    sh["review_criteria"] = CRITERIA
    sh["review_scores_record"] = scores_record

    # Contracts of the winners -------------------------------------------------------------------------
    contracts = []
    winners = [a for a in apps if a["status"] == "awarded"]
    for seq, a in enumerate(winners, start=1):
        c = a["challenge"]
        mine = a["leader"] == gd_app or (
            seq % 7 == 0 and sum(1 for x in contracts if x["commissioner"] == gd_comm) < 12
        )
        commissioner = gd_comm if mine else rng.choice(commissioners)[0]
        contracts.append(_contract(ctx, rng, a, seq, commissioner, staff_actor, c["state"]))
    sh["contracts"] = contracts


def _split(total: int, n: int, rng) -> list[int]:
    weights = [rng.uniform(0.3, 1.7) for _ in range(n)]
    s = sum(weights)
    parts = [max(1, int(total * w / s)) for w in weights]
    i = 0
    while sum(parts) < total:
        parts[i % n] += 1
        i += 1
    while sum(parts) > total:
        if parts[i % n] > 1:
            parts[i % n] -= 1
        i += 1
    return parts


def _app_statuses(c, n: int, rng) -> list[str]:
    state = c["state"]
    if state == "published":
        pool = (["draft", "submitted", "withdrawn", "returned", "formal_passed"], [2, 4, 1, 1, 2])
        return [rng.choices(*pool)[0] for _ in range(n)]
    if state == "closed_pre":
        return [rng.choices(["submitted", "formal_passed", "rejected"], [3, 5, 1])[0] for _ in range(n)]
    if state == "closed_review":
        out = ["under_review" if rng.random() < 0.9 else "rejected" for _ in range(n)]
        out[0] = "under_review"
        return out
    if state == "cancelled":
        return [rng.choice(["withdrawn", "rejected"]) for _ in range(n)]
    # Reviews done: the winners proposed (publicity) or awarded, the rest not.
    winners = min(n, c["max_winners"])
    top = "proposed" if state == "closed_publicity" else "awarded"
    return [top] * winners + ["rejected"] * (n - winners)


# Which statuses an application passed through on the way to its own (the audit trail of each).
PATHS = {
    "draft": [],
    "submitted": ["submit"],
    "withdrawn": ["submit", "withdraw"],
    "returned": ["submit", "return"],
    "formal_passed": ["submit", "pass_formal"],
    "under_review": ["submit", "pass_formal", "start_review"],
    "proposed": ["submit", "pass_formal", "start_review", "propose"],
    "awarded": ["submit", "pass_formal", "start_review", "propose", "award"],
}
TARGETS = {
    "submit": "submitted",
    "withdraw": "withdrawn",
    "return": "returned",
    "pass_formal": "formal_passed",
    "start_review": "under_review",
    "propose": "proposed",
    "award": "awarded",
    "reject": "rejected",
}


def _application(ctx, rng, c, leader, unit_id, leader_name, status, unit_of, staff_actor) -> dict:
    industry, keywords, disciplines, subjects = FIELDS[c["field"]]
    created = c["deadline"] - datetime.timedelta(days=rng.randint(10, 50))
    # A rejected application of a challenge whose review ran was rejected after review.
    if status == "rejected":
        reviewed_round = c["state"] in ("closed_review", "closed_publicity", "awarded", "finished")
        path = (
            ["submit", "pass_formal", "start_review"]
            if reviewed_round and rng.random() < 0.85
            else ["submit"]
        ) + ["reject"]
    else:
        path = PATHS[status]
    reviewed = "start_review" in path
    if c["state"] == "closed_review" and status == "rejected":
        path, reviewed = ["submit", "reject"], False
    title = f"{rng.choice(subjects)}{rng.choice(TECH_WORDS)}研究"
    plan = f"针对{c['title']}，采用{rng.choice(keywords)}与{rng.choice(keywords)}相结合的技术路线，分三个阶段实施。"
    kw = "、".join(rng.sample(keywords, 3))
    submitted_at = created + datetime.timedelta(days=rng.randint(1, 8)) if path else None
    aid = ctx.add(
        Application,
        challenge_id=c["id"],
        form_version_id=c.get("form_id"),
        unit_id=unit_id,
        leader_id=leader,
        title=title,
        plan=plan,
        keywords=kw,
        disciplines=",".join(disciplines),
        budget_requested=money(rng.uniform(100, 1500)),
        budget_self=money(rng.uniform(100, 3000)),
        avoid_names="",
        status=status,
        submitted_at=submitted_at,
        formal_note="材料齐全，符合揭榜条件。" if "pass_formal" in path else "",
        decision_note="经专家评审和公示，同意立项。" if status == "awarded" else "",
        created_by_id=leader,
        created_at=created,
        updated_at=created,
    )
    actor = ctx.actor(leader)
    ctx.audit(
        action="application.create", model=Application, obj_id=aid, obj_repr=title, at=created, actor=actor
    )
    prev = "draft"
    d = c["deadline"]
    # When each step happens: before the deadline for the applicant's, then the formal check, the review
    # round (deadline + 5 days), the panel's proposal and the award after the publicity (see _publicity).
    when = {
        "submit": submitted_at,
        "withdraw": submitted_at and submitted_at + datetime.timedelta(days=2),
        "return": submitted_at and submitted_at + datetime.timedelta(days=3),
        "pass_formal": d + datetime.timedelta(days=3),
        "start_review": d + datetime.timedelta(days=5),
        "propose": d + datetime.timedelta(days=40),
        "award": d + datetime.timedelta(days=53),
        "reject": d + datetime.timedelta(days=40 if reviewed else 3),
    }
    for step in path:
        who = actor if step in ("submit", "withdraw") else staff_actor
        reason = {"return": "附件缺少经费预算表。", "reject": "综合评审排名未进入立项范围。"}.get(step, "")
        ctx.transition(
            f"application.{step}",
            Application,
            aid,
            title,
            when[step],
            who,
            prev,
            TARGETS[step],
            reason,
        )
        prev = TARGETS[step]
    avoid = []
    if rng.random() < 0.05:  # the applicant asks that experts of a rival unit stay out
        rival = rng.choice(
            ctx.shared["units_by_kind"]["university"] + ctx.shared["units_by_kind"]["institute"]
        )
        if rival[0] != unit_id:
            avoid.append(rival[0])
            ctx.add(Application.avoid_units.through, application_id=aid, unit_id=rival[0])
    members = []
    unit = unit_of[unit_id]
    for _m in range(rng.randint(2, 4)):
        name = person_name(rng)
        members.append(name)
        ctx.add(
            ApplicationMember,
            application_id=aid,
            name=name,
            unit_id=unit_id,
            title=rng.choice(MEMBER_TITLES),
            duty=rng.choice(["技术攻关", "工艺验证", "测试评价", "项目管理"]),
            created_at=created,
        )
    for seq in range(1, rng.randint(2, 3) + 1):
        ctx.add(
            ApplicationMilestone,
            application_id=aid,
            seq=seq,
            title=["关键技术突破", "样机研制", "中试验证"][seq - 1],
            month=seq * 8,
            tranche=money(rng.uniform(50, 400)),
            targets={},
            created_at=created,
        )
    return {
        "id": aid,
        "challenge": c,
        "title": title,
        "text": f"{c['title']}\n{plan}",
        "keywords": kw.split("、"),
        "disciplines": list(disciplines),
        "unit_id": unit_id,
        "city": unit[3],
        "leader": leader,
        "leader_name": leader_name,
        "members": members,
        "status": status,
        "reviewed": reviewed,
        "avoid_units": avoid,
        "field": c["field"],
        "budget": rng.uniform(100, 1500),
    }


def _publicity(ctx, rng, c, c_apps, staff_actor) -> None:
    proposed = [a for a in c_apps if a["status"] in ("proposed", "awarded")]
    if not proposed:
        return
    if c["state"] == "closed_publicity":
        starts = ctx.as_of - datetime.timedelta(days=2)
    else:
        starts = c["deadline"].date() + datetime.timedelta(days=45)
    ends = starts + datetime.timedelta(days=7)
    pid = ctx.add(
        Publicity,
        challenge_id=c["id"],
        starts_on=starts,
        ends_on=ends,
        notice="拟立项名单公示，公示期内如有异议请书面提出。",
        published_by_id=staff_actor[0],
        created_at=ctx.at(starts),
    )
    if rng.random() < 0.15:
        open_one = c["state"] == "closed_publicity"
        ctx.add(
            Objection,
            publicity_id=pid,
            application_id=proposed[0]["id"],
            contact="0351-0000000",
            text="对申报单位的研发基础有疑问。",
            status="open" if open_one else "dismissed",
            answer="" if open_one else "经核查，申报单位具备相应研发条件，异议不成立。",
            answered_by_id=None if open_one else staff_actor[0],
            answered_at=None if open_one else ctx.at(ends),
            created_at=ctx.at(starts + datetime.timedelta(days=2)),
        )
    if c["status"] in ("awarded", "finished"):
        ctx.transition(
            "challenge.award",
            Challenge,
            c["id"],
            c["code"],
            ctx.at(ends + datetime.timedelta(days=1)),
            staff_actor,
            "closed",
            "awarded",
        )


def _contract(ctx, rng, a, seq, commissioner, staff_actor, state) -> dict:
    c = a["challenge"]
    start = c["deadline"].date() + datetime.timedelta(days=60)
    end = start + datetime.timedelta(days=730)
    if state == "finished":
        status = rng.choices(["finished", "failed", "terminated"], [8, 1, 1])[0]
    else:
        status = (
            "draft"
            if start > ctx.as_of
            else rng.choices(["in_progress", "acceptance", "draft"], [16, 2, 1])[0]
        )
        if end <= ctx.as_of and status == "in_progress":
            status = "acceptance"
        if (
            a["leader"] == ctx.shared["known"]["gd_applicant"]
            or commissioner == ctx.shared["known"]["gd_commissioner"]
        ):
            status = "in_progress"
    code = f"RW{c['code'][2:]}-{seq:05d}"
    budget = money(a["budget"])
    signed = None if status == "draft" else ctx.at(start)
    kid = ctx.add(
        Contract,
        code=code,
        application_id=a["id"],
        challenge_id=c["id"],
        unit_id=a["unit_id"],
        leader_id=a["leader"],
        commissioner_id=commissioner,
        title=a["title"],
        start_date=start,
        end_date=end,
        budget=budget,
        budget_self=money(a["budget"] * 1.5),
        team=[{"name": m, "title": "高级工程师", "duty": "技术攻关"} for m in a["members"]],
        status=status,
        signed_at=signed,
        created_at=ctx.at(start - datetime.timedelta(days=10)),
        updated_at=ctx.at(start - datetime.timedelta(days=10)),
    )
    ctx.audit(
        action="contract.create",
        model=Contract,
        obj_id=kid,
        obj_repr=code,
        at=ctx.at(start - datetime.timedelta(days=10)),
        actor=staff_actor,
    )
    if signed:
        ctx.transition("contract.sign", Contract, kid, code, signed, staff_actor, "draft", "in_progress")
    indicators = []
    for i, (name, unit, base, target) in enumerate(INDICATORS[:3], start=1):
        iid = ctx.add(
            ContractIndicator,
            contract_id=kid,
            seq=i,
            name=name,
            unit=unit,
            baseline=base,
            target=target,
            higher_is_better=target >= base,
            created_at=ctx.at(start),
        )
        indicators.append((iid, base, target))
    terminal = status in ("finished", "failed")
    comm_actor = ctx.actor(commissioner)
    for m in range(1, 5):
        due = start + datetime.timedelta(days=182 * m)
        long_due = due < ctx.as_of - datetime.timedelta(days=90)
        if terminal or status == "acceptance" or (status == "in_progress" and long_due):
            mstatus = "verified"
        elif status == "in_progress" and due < ctx.as_of:
            mstatus = rng.choices(["verified", "reported", "target"], [2, 2, 1])[0]
        else:
            mstatus = "target"
        if a["leader"] == ctx.shared["known"]["gd_applicant"] and status == "in_progress" and due > ctx.as_of:
            mstatus = "target"
        flag = ""
        if mstatus == "target" and status == "in_progress":
            days = (due - ctx.as_of).days
            flag = "overdue" if days < 0 else ("at_risk" if days <= 30 else "")
        reported = ctx.at(due - datetime.timedelta(days=5)) if mstatus != "target" else None
        verified = ctx.at(due + datetime.timedelta(days=10)) if mstatus == "verified" else None
        mid = ctx.add(
            Milestone,
            contract_id=kid,
            seq=m,
            title=["关键技术突破", "样机研制", "中试验证", "工程化应用"][m - 1],
            due_date=due,
            tranche=money(a["budget"] / 4),
            status=mstatus,
            report="按计划完成阶段目标，详见附件。" if reported else "",
            reported_at=reported,
            verified_at=verified,
            verified_by_id=commissioner if verified else None,
            flag=flag,
            flagged_at=ctx.at(ctx.as_of) if flag else None,
            created_at=ctx.at(start),
            updated_at=ctx.at(start),
        )
        for iid, base, target in indicators:
            stage = base + (target - base) * m / 4
            ctx.add(
                MilestoneValue,
                milestone_id=mid,
                indicator_id=iid,
                target=money(stage),
                reported=money(stage * rng.uniform(0.95, 1.1)) if reported else None,
                created_at=ctx.at(start),
            )
        if reported:
            ctx.transition(
                "milestone.report",
                Milestone,
                mid,
                f"{code} M{m}",
                reported,
                ctx.actor(a["leader"]),
                "target",
                "reported",
            )
        if verified:
            ctx.transition(
                "milestone.verify",
                Milestone,
                mid,
                f"{code} M{m}",
                verified,
                comm_actor,
                "reported",
                "verified",
            )
    if status in ("in_progress", "acceptance") and (ctx.as_of - start).days > 455:
        ctx.add(
            MidtermCheck,
            contract_id=kid,
            checked_on=start + datetime.timedelta(days=365),
            indicator_score=(ind := money(rng.uniform(40, 80))),
            milestone_score=money(100),
            score=money((float(ind) + 100) / 2),
            # As services.tracking.midterm_score records it: the two milestones due by then were verified.
            detail={
                "indicator_score": float(ind),
                "milestone_score": 100.0,
                "score": round((float(ind) + 100) / 2, 2),
                "milestones_due": 2,
                "milestones_verified": 2,
            },
            conclusion="continue",
            notes="进展符合任务书要求。",
            checked_by_id=commissioner,
            created_at=ctx.at(start + datetime.timedelta(days=365)),
        )
    if status == "in_progress" and rng.random() < 0.1:
        ctx.add(
            ChangeRequest,
            contract_id=kid,
            kind="dates",
            reason="关键设备到货延迟，申请延期三个月。",
            payload={"end_date": (end + datetime.timedelta(days=90)).isoformat()},
            status="pending",
            requested_by_id=a["leader"],
            created_at=ctx.at(ctx.as_of - datetime.timedelta(days=5)),
        )
    if terminal or status == "terminated":
        accepted = end + datetime.timedelta(days=30)
        if status == "terminated":
            ctx.transition(
                "contract.terminate",
                Contract,
                kid,
                code,
                ctx.at(start + datetime.timedelta(days=400)),
                staff_actor,
                "in_progress",
                "terminated",
                "承担单位主动申请终止。",
            )
        else:
            ctx.transition(
                "contract.request_acceptance",
                Contract,
                kid,
                code,
                ctx.at(end),
                ctx.actor(a["leader"]),
                "in_progress",
                "acceptance",
            )
            verdict = "failed" if status == "failed" else rng.choice(["passed", "passed", "conditional"])
            acc = ctx.add(
                Acceptance,
                contract_id=kid,
                accepted_on=accepted,
                verdict=verdict,
                conditions="三个月内补充第三方检测报告。" if verdict == "conditional" else "",
                panel="验收专家组五人。",
                opinion="完成任务书约定的考核指标。" if verdict != "failed" else "主要考核指标未达到。",
                decided_by_id=staff_actor[0],
                created_at=ctx.at(accepted),
            )
            for iid, base, target in indicators:
                achieved = target if verdict != "failed" else base
                ctx.add(
                    AcceptanceItem,
                    acceptance_id=acc,
                    indicator_id=iid,
                    achieved=achieved,
                    met=verdict != "failed",
                    created_at=ctx.at(accepted),
                )
            action = "pass_acceptance" if status == "finished" else "fail_acceptance"
            ctx.transition(
                f"contract.{action}", Contract, kid, code, ctx.at(accepted), staff_actor, "acceptance", status
            )
            if status == "finished":
                rid = ctx.add(
                    Result,
                    contract_id=kid,
                    kind=rng.choice(["patent", "product", "standard", "paper"]),
                    title=f"{a['title']}成果",
                    identifier="",
                    achieved_on=accepted,
                    description="项目形成的主要成果。",
                    recorded_by_id=staff_actor[0],
                    created_at=ctx.at(accepted),
                )
                if rng.random() < 0.3:
                    ctx.add(
                        Transfer,
                        result_id=rid,
                        kind=rng.choice(["licence", "sale", "equity"]),
                        counterparty="省内制造企业",
                        amount=money(rng.uniform(50, 2000)),
                        transferred_on=accepted + datetime.timedelta(days=90),
                        recorded_by_id=staff_actor[0],
                        created_at=ctx.at(accepted),
                    )
    elif status == "acceptance":
        ctx.transition(
            "contract.request_acceptance",
            Contract,
            kid,
            code,
            ctx.at(end),
            ctx.actor(a["leader"]),
            "in_progress",
            "acceptance",
        )
    return {
        "id": kid,
        "code": code,
        "challenge": c["id"],
        "start": start,
        "commissioner": commissioner,
        "status": status,
        "application": a["id"],
    }


def scores_record(ctx: Context, scores: dict[int, tuple]) -> None:
    """Write the review outcome of reviewed applications: {application id: (score, rank)}."""
    ctx.writer.flush_all()
    rows = [(s, r, pk) for pk, (s, r) in sorted(scores.items())]
    table = connection.ops.quote_name(Application._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET review_score = %s, review_rank = %s WHERE id = %s", rows)
