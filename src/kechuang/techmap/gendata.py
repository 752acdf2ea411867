"""The generated dataset's technology breakthrough map (see core.gendata): one chain per industry field,
links up-, mid- and downstream, key technologies with dated TRL history, bottleneck and substitution
status, and coverage links to the topics, challenges, contracts and platforms of the same field."""

import datetime

from kechuang.challenges.models import Challenge, Contract, Topic
from kechuang.core.gendata import Context
from kechuang.core.gendata_words import FIELDS, TECH_WORDS
from kechuang.platforms.models import Kind, Platform

from .models import Chain, ChainLink, Coverage, Technology, TrlRecord

STAGES = [("upstream", "原材料与核心部件"), ("midstream", "制造与集成"), ("downstream", "应用与服务")]


def generate(ctx: Context) -> None:

    rng = ctx.rng("techmap")
    sh = ctx.shared
    staff = sh["known"]["gd_staff"]
    per_link = max(2, round(8 * ctx.plan["platforms"] / 5000))
    n_chains = len(FIELDS) if ctx.scale == "national" else max(6, len(FIELDS) // 2)
    topics_by_field: dict[int, list] = {}
    for t in sh["topics"]:
        topics_by_field.setdefault(t[1], []).append(t)
    challenges_by_topic = {c["topic"]: c for c in sh["challenge_list"]}
    contracts_by_challenge: dict[int, list] = {}
    for k in sh["contracts"]:
        contracts_by_challenge.setdefault(k["challenge"], []).append(k)
    platforms_by_field: dict[int, list] = {}
    for p in sh["platforms"]:
        platforms_by_field.setdefault(p[4], []).append(p)
    ct = {m: ctx.ct(m) for m in (Topic, Challenge, Contract, Platform)}
    start = ctx.day(3 * 365)
    for fi in range(n_chains):
        industry, keywords, _d, subjects = FIELDS[fi]
        created = ctx.at(start)
        chain = ctx.add(
            Chain,
            name=f"{industry}产业链",
            description=f"{industry}产业链关键环节与核心技术攻关图谱。",
            published=fi % 5 != 4,
            order=fi + 1,
            created_at=created,
            updated_at=created,
        )
        ctx.audit(
            action="chain.create",
            model=Chain,
            obj_id=chain,
            obj_repr=industry,
            at=created,
            actor=ctx.actor(staff),
        )
        for si, (stage, label) in enumerate(STAGES):
            for li in range(2):
                kw = keywords[(2 * si + li) % len(keywords)]
                link = ctx.add(
                    ChainLink,
                    chain_id=chain,
                    stage=stage,
                    name=f"{kw}{label[:2] if li == 0 else label[-2:]}",
                    order=2 * si + li + 1,
                    created_at=created,
                    updated_at=created,
                )
                names = set()
                for ti in range(per_link):
                    name = f"{subjects[(ti + li) % len(subjects)]}{TECH_WORDS[(ti + si) % len(TECH_WORDS)]}"
                    if name in names:
                        name = f"{kw}{name}"
                    if name in names:
                        continue
                    names.add(name)
                    _technology(
                        ctx,
                        rng,
                        link,
                        name,
                        fi,
                        staff,
                        start,
                        topics_by_field,
                        challenges_by_topic,
                        contracts_by_challenge,
                        platforms_by_field,
                        ct,
                        Kind,
                    )


def _technology(
    ctx,
    rng,
    link,
    name,
    fi,
    staff,
    start,
    topics_by_field,
    challenges_by_topic,
    contracts_by_challenge,
    platforms_by_field,
    ct,
    Kind,
) -> None:
    base = rng.randint(1, 6)
    current = min(9, base + rng.randint(0, 2))
    target = min(9, max(current + 1, base + 3))
    current_on = ctx.day(rng.randint(30, 700))
    target_on = datetime.date(ctx.as_of.year + 3, 12, 31)
    bottleneck = rng.random() < 0.2
    created = ctx.at(start)
    tid = ctx.add(
        Technology,
        link_id=link,
        name=name,
        description=f"{name}，关系产业链安全。",
        trl_baseline=base,
        trl_baseline_on=start,
        trl_current=current,
        trl_current_on=current_on,
        trl_target=target,
        trl_target_on=target_on,
        is_bottleneck=bottleneck,
        substitution=rng.choice(["needed", "in_progress"]) if bottleneck else rng.choice(["na", "achieved"]),
        level=rng.choice(["international_leading", "domestic_leading", "following"]),
        local_supply_pct=round(rng.uniform(5, 90), 1),
        created_at=created,
        updated_at=ctx.at(current_on),
    )
    for kind, value, day in (
        ("baseline", base, start),
        ("current", current, current_on),
        ("target", target, target_on),
    ):
        ctx.add(
            TrlRecord,
            technology_id=tid,
            kind=kind,
            value=value,
            as_of=day,
            recorded_by_id=staff,
            created_at=ctx.at(min(day, ctx.as_of)),
        )
        ctx.audit(
            action="technology.trl_record",
            model=Technology,
            obj_id=tid,
            obj_repr=name,
            at=ctx.at(min(day, ctx.as_of)),
            actor=ctx.actor(staff),
            after={"kind": kind, "value": value},
        )
    # Coverage: a topic of the field, its challenge and contracts, and a platform of the field.
    covered = set()

    def cover(kind, model, obj_id, repr_, since, until=None):
        key = (model, obj_id)
        if key in covered:
            return
        covered.add(key)
        ctx.add(
            Coverage,
            technology_id=tid,
            kind=kind,
            content_type_id=ct[model],
            object_id=obj_id,
            target_repr=repr_[:300],
            since=since,
            until=until,
            created_by_id=staff,
            created_at=ctx.at(since),
        )

    topics = topics_by_field.get(fi) or []
    if topics and rng.random() < 0.6:
        t = rng.choice(topics)
        cover("topic", Topic, t[0], t[2], start)
        ch = challenges_by_topic.get(t[0])
        if ch and ch["status"] not in ("draft",):
            cover(
                "challenge",
                Challenge,
                ch["id"],
                f"{ch['code']} {ch['title']}",
                ch["deadline"].date() - datetime.timedelta(days=60),
            )
            for k in contracts_by_challenge.get(ch["id"], []):
                cover("project", Contract, k["id"], k["code"], k["start"])
    platforms = platforms_by_field.get(fi) or []
    if platforms and rng.random() < 0.5:
        p = rng.choice(platforms)
        kind = "consortium" if p[1] in (Kind.ALLIANCE, Kind.CONSORTIUM) else "platform"
        cover(kind, Platform, p[0], p[6], max(p[7], start))
