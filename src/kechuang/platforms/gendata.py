"""The generated dataset's platform registry (see core.gendata): platforms of every kind with dated status
periods, host and co-host links, members of alliances and consortia, operators, yearly reports,
achievements and the reorganisations behind merged or retired platforms."""

import datetime

from kechuang.core import divisions
from kechuang.core.gendata import Context, money
from kechuang.core.gendata_words import FIELDS, province_name

from . import search
from .models import (
    Achievement,
    Affiliation,
    Kind,
    Membership,
    Operator,
    Platform,
    Reorganisation,
    Status,
    StatusPeriod,
    YearlyReport,
)
from .services import default_level

KIND_SHARES = [
    (Kind.NATIONAL_LAB, 0.002, "国家实验室", "NL"),
    (Kind.NATIONAL_KEY_LAB, 0.05, "全国重点实验室", "NKL"),
    (Kind.NATIONAL_ENGINEERING_CENTRE, 0.04, "国家工程研究中心", "NEC"),
    (Kind.NATIONAL_INFRASTRUCTURE, 0.005, "国家科教基础设施", "NI"),
    (Kind.PROVINCIAL_LAB, 0.01, "省实验室", "PL"),
    (Kind.PROVINCIAL_KEY_LAB, 0.45, "省重点实验室", "PKL"),
    (Kind.BASIC_DISCIPLINE_CENTRE, 0.03, "省基础学科研究中心", "BDC"),
    (Kind.NEW_RD_INSTITUTE, 0.2, "新型研发机构", "NRI"),
    (Kind.ALLIANCE, 0.1, "产业技术创新战略联盟", "ALL"),
    (Kind.CONSORTIUM, 0.113, "创新联合体", "CON"),
]
STATUS_SHARES = [
    (Status.OPERATING, 0.85),
    (Status.BUILDING, 0.05),
    (Status.TRIAL, 0.04),
    (Status.RETIRED, 0.03),
    (Status.MERGED, 0.03),
]
LAB_HOSTS = ("university", "institute", "hospital")
ACTIONS = {
    Status.TRIAL: "platform.trial",
    Status.OPERATING: "platform.operate",
    Status.MERGED: "platform.merge",
    Status.RETIRED: "platform.retire",
}


def _periods(established: datetime.date, status: str, end_day: datetime.date, as_of: datetime.date):
    """The dated status history that ends in `status` (building → trial → operating → merged/retired)."""
    b_end = established + datetime.timedelta(days=365)
    t_end = b_end + datetime.timedelta(days=182)
    if status == Status.BUILDING:
        return [(Status.BUILDING, established, None)]
    if status == Status.TRIAL:
        return [(Status.BUILDING, established, b_end), (Status.TRIAL, b_end, None)]
    if t_end >= as_of:  # too young for the full path: operating from the start
        out = [(Status.OPERATING, established, None)]
    else:
        out = [
            (Status.BUILDING, established, b_end),
            (Status.TRIAL, b_end, t_end),
            (Status.OPERATING, t_end, None),
        ]
    if status in (Status.MERGED, Status.RETIRED):
        last = out[-1]
        out[-1] = (last[0], last[1], end_day)
        out.append((status, end_day, None))
    return out


def generate(ctx: Context) -> None:
    rng = ctx.rng("platforms")
    sh = ctx.shared
    by_kind = sh["units_by_kind"]
    lab_hosts = [u for k in LAB_HOSTS for u in by_kind[k]]
    industry_hosts = by_kind["enterprise"] + by_kind["institute"]
    operators = [u[0] for u in sh["users"]["operator"] if u[3] != "gd_operator"]
    staff = sh["users"]["staff"]
    n = ctx.plan["platforms"]
    kinds = [k[0] for k in KIND_SHARES]
    weights = [k[1] for k in KIND_SHARES]
    labels = {k[0]: (k[2], k[3]) for k in KIND_SHARES}
    platforms = []  # (id, kind, status, host_id, field_index, city, name, established)
    seq_by_kind: dict[str, int] = {}
    retire_day = ctx.day(200)
    # The first platforms are provincial key labs, operating, so gd_operator has live platforms to report.
    for i in range(n):
        kind = Kind.PROVINCIAL_KEY_LAB if i < 3 else rng.choices(kinds, weights)[0]
        status = Status.OPERATING if i < 3 else rng.choices(*zip(*STATUS_SHARES))[0]
        fi = rng.randrange(len(FIELDS))
        industry, keywords, disciplines, subjects = FIELDS[fi]
        host = rng.choice(
            lab_hosts
            if kind not in (Kind.ALLIANCE, Kind.CONSORTIUM, Kind.NEW_RD_INSTITUTE)
            else industry_hosts
        )
        label, abbr = labels[kind]
        seq_by_kind[kind] = seq_by_kind.get(kind, 0) + 1
        code = f"{abbr}-{seq_by_kind[kind]:05d}"
        topic = rng.choice(subjects if rng.random() < 0.5 else keywords)
        if label.startswith("省"):  # 山西省碳化硅重点实验室
            name = f"{province_name(host[2])}{topic}{label[1:]}"
        else:
            name = f"{topic}{label}"
        age_days = rng.randint(60, 12 * 365)
        if status in (Status.MERGED, Status.RETIRED):
            age_days = max(age_days, 4 * 365)
        established = ctx.day(age_days)
        mission = (
            f"面向{industry}产业需求，开展{topic}等方向的研究与攻关，推动{rng.choice(keywords)}成果转化。"
        )
        created = ctx.at(established)
        pid = ctx.add(
            Platform,
            code=code,
            name=name,
            short_name="",
            name_en="",
            kind=kind,
            level=default_level(kind),
            co_built=rng.random() < 0.05,
            host_id=host[0],
            province=divisions.resolve(host[2]) or host[2],  # stored as its GB/T 2260 code
            city=host[3],
            disciplines=list(disciplines),
            industries=[industry],
            mission=mission,
            established=established,
            status=status,
            published=True,
            is_demo=False,
            search_text=search.search_text(name, mission, list(disciplines), [industry], host[3], host[5]),
            created_at=created,
            updated_at=created,
        )
        ctx.audit(
            action="platform.create",
            model=Platform,
            obj_id=pid,
            obj_repr=name,
            at=created,
            actor=(staff[0][0], staff[0][2]),
            after={"code": code, "kind": kind, "host": host[0]},
        )
        end_day = retire_day - datetime.timedelta(days=rng.randint(0, 700))
        platforms.append((pid, kind, status, host[0], fi, host[3], name, established, end_day, host[2]))
        for st, start, end in _periods(established, status, end_day, ctx.as_of):
            ctx.add(StatusPeriod, platform_id=pid, status=st, start=start, end=end, created_at=ctx.at(start))
            if st != Status.BUILDING:
                ctx.audit(
                    action=ACTIONS[st],
                    model=Platform,
                    obj_id=pid,
                    obj_repr=name,
                    at=ctx.at(start),
                    actor=(staff[0][0], staff[0][2]),
                    before=None,
                    after={"status": st},
                )
        ctx.add(
            Affiliation, platform_id=pid, unit_id=host[0], role="host", start=established, created_at=created
        )
        if rng.random() < 0.3:
            co = rng.choice(lab_hosts)
            if co[0] != host[0]:
                ctx.add(
                    Affiliation,
                    platform_id=pid,
                    unit_id=co[0],
                    role="cohost",
                    start=established,
                    created_at=created,
                )
        if kind in (Kind.ALLIANCE, Kind.CONSORTIUM):
            ctx.add(
                Membership,
                platform_id=pid,
                unit_id=host[0],
                role="lead",
                joined=established,
                created_at=created,
            )
            members = {host[0]}
            for _m in range(rng.randint(4, 15)):
                u = rng.choice(industry_hosts)
                if u[0] in members:
                    continue
                members.add(u[0])
                joined = established + datetime.timedelta(days=rng.randint(0, 300))
                left = None
                if rng.random() < 0.1 and joined + datetime.timedelta(days=400) < ctx.as_of:
                    left = joined + datetime.timedelta(days=rng.randint(200, 400))
                ctx.add(
                    Membership,
                    platform_id=pid,
                    unit_id=u[0],
                    role="member",
                    joined=joined,
                    left=left,
                    created_at=ctx.at(joined),
                )
        ctx.add(Operator, platform_id=pid, user_id=operators[i % len(operators)], created_at=created)
        if i < 3:
            ctx.add(Operator, platform_id=pid, user_id=sh["known"]["gd_operator"], created_at=created)
        # Yearly reports of the last three years the platform ran through.
        for year in range(ctx.as_of.year - 3, ctx.as_of.year):
            if established.year >= year or status in (Status.BUILDING,):
                continue
            if status in (Status.MERGED, Status.RETIRED) and end_day.year <= year:
                continue
            last = year == ctx.as_of.year - 1
            if i < 3 and last:
                rstatus = YearlyReport.Status.DRAFT
            elif last:
                rstatus = rng.choices(["accepted", "submitted", "draft", "returned"], [5, 3, 1, 1])[0]
            else:
                rstatus = YearlyReport.Status.ACCEPTED
            staff_n = rng.randint(15, 300)
            filed = ctx.at(datetime.date(year + 1, 3, 1), rng.randint(0, 60 * 24 * 40))
            rid = ctx.add(
                YearlyReport,
                platform_id=pid,
                year=year,
                staff=staff_n,
                doctorates=rng.randint(0, staff_n),
                funding=money(rng.uniform(200, 20000)),
                projects=rng.randint(2, 120),
                papers=rng.randint(0, 300),
                patents=rng.randint(0, 80),
                transferred=rng.randint(0, 20),
                shared_hours=rng.randint(0, 20000),
                summary=f"{year}年度，{name}围绕{rng.choice(keywords)}开展攻关，运行良好。",
                status=rstatus,
                return_reason="经费数据与财务报表不一致，请核对后重新提交。" if rstatus == "returned" else "",
                submitted_by_id=None if rstatus == "draft" else operators[i % len(operators)],
                created_at=filed,
                updated_at=filed,
            )
            if rstatus != "draft":
                actor = (operators[i % len(operators)], f"gd_operator_{i % len(operators) + 1}")
                ctx.audit(
                    action="yearly_report.submit",
                    model=YearlyReport,
                    obj_id=rid,
                    obj_repr=f"{name} {year}",
                    at=filed,
                    actor=actor,
                    before={"status": "draft"},
                    after={"status": "submitted"},
                )
            if rstatus in ("accepted", "returned"):
                ctx.audit(
                    action=f"yearly_report.{'accept' if rstatus == 'accepted' else 'return'}",
                    model=YearlyReport,
                    obj_id=rid,
                    obj_repr=f"{name} {year}",
                    at=filed + datetime.timedelta(days=14),
                    actor=(staff[0][0], staff[0][2]),
                    before={"status": "submitted"},
                    after={"status": rstatus},
                )
        if status == Status.OPERATING and rng.random() < 0.8:
            ctx.add(
                Achievement,
                platform_id=pid,
                kind=rng.choice(["import_substitution", "leading", "industry_need", "other"]),
                title=f"{rng.choice(subjects)}{rng.choice(['突破', '研制成功', '实现量产', '通过鉴定'])}",
                year=rng.randint(max(established.year, ctx.as_of.year - 4), ctx.as_of.year),
                count=1,
                evidence="鉴定证书与用户证明。",
                source="typed",
                created_at=created,
            )
    # Reorganisations: each merged platform goes into an operating one of the same field; retirements.
    live = {}
    for p in platforms:
        if p[2] == Status.OPERATING:
            live.setdefault(p[4], []).append(p)
    for p in platforms:
        if p[2] not in (Status.MERGED, Status.RETIRED):
            continue
        date = p[8]
        kind = "merge" if p[2] == Status.MERGED else "retire"
        targets = live.get(p[4]) or live[min(live)]
        rid = ctx.add(
            Reorganisation, kind=kind, date=date, note="优化重组。", batch="", created_at=ctx.at(date)
        )
        ctx.add(Reorganisation.sources.through, reorganisation_id=rid, platform_id=p[0])
        if kind == "merge":
            ctx.add(Reorganisation.targets.through, reorganisation_id=rid, platform_id=rng.choice(targets)[0])
    sh["platforms"] = platforms
