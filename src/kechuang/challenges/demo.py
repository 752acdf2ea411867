"""The demo province's open-challenge programme, from DOMAIN.md: needs, the condensed topics of the four
tracks, and challenge lists at every stage of their lifecycle — draft, open, closed for formal check, under
review, in publicity with an objection, racing teams (赛马制), projects running with overdue and reported
milestones and a pending change, a finished project with results and a transfer, and the 2020 hydrogen
fuel-cell hybrid locomotive project whose stage result rolled out on 27 January 2021.

Idempotent: topics are matched by title, needs by (title, unit), challenges by code (榜单编号); a challenge
that exists is left as it is. Every record goes through the services, so each step has its audit trail;
dates of past stages (deadlines, publicity, contract start) are then set to their historical values.
"""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_noop

from kechuang.accounts.demo import DEMO_PASSWORD
from kechuang.accounts.models import Unit, User
from kechuang.accounts.services import user_create
from kechuang.core import counters
from kechuang.core.commands import say
from kechuang.core.roles import DEMO, SYSTEM, Role

from . import industries, programme, services
from .models import Application, Challenge, Contract, Milestone, Need, Publicity, Topic

# The demo lists' target indicators in English (ChallengeIndicator.name_en, copied into the contracts).
INDICATOR_NAMES_EN = {
    "衬底直径": "Substrate diameter",
    "微管密度": "Micropipe density",
    "衬底良率": "Substrate yield",
    "发酵表达量": "Fermentation expression level",
    "纯化收率": "Purification yield",
    "试验速度": "Test speed",
    "管道真空度": "Tube vacuum",
    "工作面无人化率": "Unmanned working-face rate",
    "并行效率": "Parallel efficiency",
    "囚禁离子数": "Trapped ions",
    "双比特门保真度": "Two-qubit gate fidelity",
    "安全码率": "Secure key rate",
    "传输距离": "Transmission distance",
    "面内导热系数": "In-plane thermal conductivity",
    "卷材宽度": "Roll width",
    "产能": "Throughput",
    "靶材利用率": "Target utilisation",
    "可调负荷接入": "Adjustable load connected",
    "单井取热功率": "Heat extraction per well",
    "燃料电池系统功率": "Fuel cell system power",
    "续航里程": "Range",
    "聚合可调资源": "Aggregated adjustable resources",
}
# The English of the demo indicators' units given in Chinese (ChallengeIndicator.unit_en, copied into the
# contracts), by indicator name: the units in Latin letters (%, MW, km) read the same in English.
INDICATOR_UNITS_EN = {
    "衬底直径": "inches",
    "微管密度": "per cm²",
    "囚禁离子数": "ions",
    "产能": "wafers per hour",
}
# The demo lists' English names (shown on English pages; a demo loaded before they existed gets them).
TITLES_EN = {
    "8英寸导电型碳化硅单晶衬底及生长工艺": "8-inch conductive silicon carbide substrates and their crystal growth",
    "重组人源胶原蛋白规模化制备": "Large-scale production of recombinant human collagen",
    "低真空管道高速磁浮试验线关键技术": "Key technologies of a low-vacuum tube high-speed maglev test line",
    "煤矿智能化开采创新实验室": "Innovation laboratory for intelligent coal mining",
    "E级超算异构自适应软件系统": "Heterogeneous adaptive software system for exascale computing",
    "大规模离子阱量子计算原型机": "Large-scale trapped-ion quantum computing prototype",
    "高速连续变量量子密钥分发系统": "High-speed continuous-variable quantum key distribution system",
    "高通量石墨烯散热膜制备技术": "High-throughput production of graphene heat-spreading films",
    "异质结电池磁控溅射镀膜装备国产化": "Domestic magnetron sputtering equipment for heterojunction solar cells",
    "城市能源互联网管理与调控平台": "Urban energy internet management and dispatch platform",
    "深层增强型地热系统示范": "Deep enhanced geothermal system demonstration",
    "氢燃料电池混合动力机车研制": "Hydrogen fuel-cell hybrid locomotive",
    "虚拟电厂聚合调控与交易平台": "Virtual power plant aggregation, dispatch and trading platform",
}

CRITERIA = [
    {
        "code": "tech",
        "name": "技术先进性与可行性",
        "name_en": "Technical advancement and feasibility",
        "weight": 0.4,
    },
    {"code": "team", "name": "团队能力与基础", "name_en": "Team capability and track record", "weight": 0.3},
    {
        "code": "plan",
        "name": "实施方案与经费合理性",
        "name_en": "Soundness of the plan and budget",
        "weight": 0.3,
    },
]

# title, track, industry, TRL baseline, TRL target, description — the topics DOMAIN.md names, by track.
TOPICS = [
    (
        "碳化硅单晶衬底及生长工艺",
        "industrialisation",
        "新材料",
        6,
        8,
        "成熟技术产业化：大尺寸碳化硅单晶衬底及其生长工艺。",
    ),
    (
        "大规模人源胶原蛋白制备",
        "industrialisation",
        "生物医药",
        6,
        8,
        "成熟技术产业化：重组人源胶原蛋白规模化发酵与纯化。",
    ),
    (
        "低真空管道磁悬浮",
        "pilot",
        "装备制造",
        4,
        6,
        "中试放大：低真空管道高速磁浮（“高速飞车”）试验线关键技术。",
    ),
    ("智能矿山创新实验室", "pilot", "能源", 4, 6, "中试放大：煤矿智能化开采与安全监控的创新实验室。"),
    ("E级异构自适应软件系统", "pilot", "信息技术", 4, 6, "中试放大：面向E级超算的异构自适应软件系统。"),
    ("大规模离子阱量子计算", "frontier", "量子信息", 2, 4, "前沿技术：大规模离子阱量子计算原型。"),
    (
        "高速连续变量量子密钥分发",
        "frontier",
        "量子信息",
        3,
        5,
        "前沿技术：高速连续变量量子密钥分发（CV-QKD）系统。",
    ),
    ("高通量石墨烯散热膜", "frontier", "新材料", 3, 6, "前沿技术：高通量石墨烯散热膜制备。"),
    ("异质结电池磁控溅射装备", "carbon", "新能源", 5, 7, "碳达峰碳中和：异质结（HJT）电池磁控溅射镀膜装备。"),
    ("城市能源互联网管控", "carbon", "能源", 4, 6, "碳达峰碳中和：城市能源互联网管理与调控平台。"),
    ("深层增强型地热系统", "carbon", "能源", 3, 5, "碳达峰碳中和：深层增强型地热系统（EGS）开发。"),
    (
        "氢燃料电池混合动力机车",
        "industrialisation",
        "轨道交通",
        5,
        8,
        "2020年揭榜项目：氢燃料电池混合动力机车研制。",
    ),
]

# (need title, unit name, problem, industry, co-funding 万元, topic title or None)
NEEDS = [
    (
        "8英寸碳化硅衬底量产",
        "山西碳化硅材料有限公司",
        "8英寸导电型碳化硅单晶衬底生长良率低，微管密度高，需突破长晶热场设计与缺陷控制。",
        "新材料",
        800,
        "碳化硅单晶衬底及生长工艺",
    ),
    (
        "碳化硅长晶炉热场设计",
        "中北大学",
        "碳化硅单晶生长炉热场不均，晶体开裂，衬底缺陷密度高。",
        "新材料",
        0,
        "碳化硅单晶衬底及生长工艺",
    ),
    (
        "重组胶原蛋白规模化生产",
        "山西锦波生物医药股份有限公司",
        "重组人源胶原蛋白发酵表达量低，纯化收率不足，难以规模化。",
        "生物医药",
        600,
        "大规模人源胶原蛋白制备",
    ),
    (
        "高速飞车悬浮导向",
        "大同高速飞车科技有限公司",
        "低真空管道内600公里时速磁浮的悬浮导向与直线电机牵引控制。",
        "装备制造",
        1000,
        "低真空管道磁悬浮",
    ),
    (
        "离子阱芯片与激光系统",
        "山西量子通信技术有限公司",
        "离子阱芯片囚禁离子数少，激光操控保真度不足。",
        "量子信息",
        300,
        "大规模离子阱量子计算",
    ),
    (
        "石墨烯导热膜卷对卷制备",
        "山西石墨烯新材料有限公司",
        "石墨烯导热膜卷对卷连续制备效率低，导热系数不稳定。",
        "新材料",
        500,
        "高通量石墨烯散热膜",
    ),
    (
        "HJT 磁控溅射设备国产化",
        "山西异质结光伏装备有限公司",
        "异质结电池TCO镀膜磁控溅射设备依赖进口，靶材利用率低。",
        "新能源",
        700,
        "异质结电池磁控溅射装备",
    ),
    (
        "氢燃料电池机车动力系统",
        "中车大同电力机车有限公司",
        "氢燃料电池与动力电池混合动力系统的能量管理与机车集成。",
        "轨道交通",
        1200,
        "氢燃料电池混合动力机车",
    ),
    # Not yet grouped: two similar coalbed-methane needs and a coal-based graphene need, for the grouping page.
    (
        "低渗煤层气水平井分段压裂",
        "太原理工大学",
        "低渗透煤层气水平井分段压裂改造效果差，单井产气量低。",
        "能源",
        0,
        None,
    ),
    ("煤层气水平井压裂增产", "中北大学", "低渗透煤层气储层水平井分段压裂工艺与增产技术。", "能源", 0, None),
    (
        "煤基石墨烯复合材料",
        "山西石墨烯新材料有限公司",
        "以煤为原料制备石墨烯复合材料的工艺与应用。",
        "新材料",
        200,
        None,
    ),
]

# Solver units without a demo user get one (applicant role) for their team leader.
LEADERS = {
    "中车大同电力机车有限公司": ("solver_crrc", "韩总师"),
    "山西石墨烯新材料有限公司": ("solver_graphene", "石博士"),
    "山西量子通信技术有限公司": ("solver_quantum", "屈研究员"),
    "山西异质结光伏装备有限公司": ("solver_hjt", "贺总工"),
    "山西大学": ("solver_sxu", "光教授"),
    "太原理工大学": ("solver_tyut", "矿教授"),
    "中北大学": ("solver_nuc", "磁教授"),
    "山西锦波生物医药股份有限公司": ("solver_jinbo", "胶博士"),
}


def _user(username):
    return User.objects.get(username=username)


def _leader_for(unit: Unit):
    u = User.objects.filter(unit=unit, groups__name=Role.APPLICANT).order_by("pk").first()
    if u:
        return u

    username, name = LEADERS[unit.name]
    return user_create(
        actor=DEMO,
        username=username,
        password=DEMO_PASSWORD,
        roles=[Role.APPLICANT],
        unit=unit,
        full_name=name,
        email=f"{username}@example.org",
    )


def _topic(staff, title) -> Topic:
    t = Topic.objects.filter(title=title).first()
    if t:
        return t
    _title, track, industry, base, target, desc = next(x for x in TOPICS if x[0] == title)
    return services.topic_create(
        actor=staff,
        title=title,
        description=desc,
        industry=industries.closest(industry),
        track=track,
        trl_baseline=base,
        trl_target=target,
    )


def _needs(staff, units):
    for title, unit_name, problem, industry, cofund, topic_title in NEEDS:
        unit = units[unit_name]
        if Need.objects.filter(title=title, unit=unit).exists():
            continue
        need = services.need_submit(
            actor=staff,
            unit=unit,
            title=title,
            problem=problem,
            industry=industries.closest(industry),
            cofund_budget=Decimal(cofund),
        )
        if topic_title:
            services.topic_add_needs(actor=staff, topic=_topic(staff, topic_title), needs=[need])


def _apply(
    challenge, unit, leader, *, title, plan, budget, milestones, submit=True, partners=None, members=None
):
    app = services.application_create(
        actor=leader,
        challenge=challenge,
        title=title,
        plan=plan,
        budget_requested=budget,
        keywords=challenge.topic.industry_label,
    )
    app.refresh_from_db()
    team = members or [
        {"name": "项目骨干甲", "title": "高级工程师", "duty": "工艺"},
        {"name": "项目骨干乙", "title": "副教授", "duty": "测试"},
    ]
    # A joint application (联合揭榜): the partners and the team (members from any of the units) together.
    services.application_partners_set(actor=leader, application=app, partners=partners or [], members=team)
    services.application_milestones_set(actor=leader, application=app, milestones=milestones)
    if submit:
        services.application_submit(actor=leader, application=app)
    return app


def _pass_deadline(challenge, days_ago: int):
    """Move a challenge's deadline to 17:00 `days_ago` days back (demo history) so it can close normally."""
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(17)))
    Challenge.objects.filter(pk=challenge.pk).update(deadline=when)
    counters.recount("challenges.version")  # update() sends no post_save (core.counters)
    challenge.refresh_from_db()


def _milestones(budget, targets_mid, targets_end, months=24):
    half = (Decimal(budget) / 2).quantize(Decimal("0.01"))
    return [
        {"title": "关键技术突破与中试验证", "month": months // 2, "tranche": half, "targets": targets_mid},
        {
            "title": "全面达到榜单指标",
            "month": months,
            "tranche": Decimal(budget) - half,
            "targets": targets_end,
        },
    ]


def _challenge(
    staff,
    code,
    topic_title,
    title,
    *,
    year,
    budget,
    indicators,
    months=24,
    winners=1,
    cofunder=None,
    share=0,
    eligibility="在山西省注册的企业、高校、科研院所，可联合申报。",
):
    topic = _topic(staff, topic_title)
    ch = services.challenge_create(
        actor=staff,
        code=code,
        year=year,
        topic=topic,
        title=title,
        title_en=TITLES_EN.get(title, ""),
        problem=topic.description,
        goal=f"{title}：达到下列考核指标。",
        budget_ceiling=Decimal(budget),
        cofunder=cofunder,
        cofund_share=Decimal(share),
        ip_terms="知识产权归揭榜单位所有，省内优先转化实施。",
        duration_months=months,
        eligibility=eligibility,
        max_active_per_leader=2,
        deadline=timezone.make_aware(
            datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=45), datetime.time(17))
        ),
        max_winners=winners,
        criteria=[dict(c) for c in CRITERIA],
        indicators=indicators,
    )
    return ch


def _to_review(staff, ch, apps, scores, closed_days_ago=20):
    _pass_deadline(ch, closed_days_ago)
    services.challenge_close(actor=SYSTEM, challenge=ch)
    for app in apps:
        services.formal_check(actor=staff, application=app, passed=True, reasons="材料齐全，符合揭榜条件。")
    services.review_start_manual(actor=staff, challenge=ch, note="线下专家组会评（演示数据）")
    services.review_scores_record(
        actor=staff, challenge=ch, scores={a.pk: s for a, s in zip(apps, scores, strict=True)}
    )


def _award(staff, ch, winners, start):
    today = timezone.localdate()
    services.decision_publish(
        actor=staff, challenge=ch, winners=winners, starts_on=today - datetime.timedelta(days=12), days=7
    )
    contracts = services.award_confirm(actor=staff, challenge=ch, start_date=start)
    # Demo history: the list was published, closed and publicised before the project started.
    day = datetime.timedelta(days=1)
    Publicity.objects.filter(challenge=ch).update(starts_on=start - 20 * day, ends_on=start - 14 * day)
    Challenge.objects.filter(pk=ch.pk).update(
        deadline=timezone.make_aware(datetime.datetime.combine(start - 45 * day, datetime.time(17))),
        published_at=timezone.make_aware(datetime.datetime.combine(start - 90 * day, datetime.time(9))),
    )
    counters.recount("challenges.version")
    return contracts


def _run(staff, contract, commissioner):
    services.contract_assign_commissioner(actor=staff, contract=contract, commissioner=commissioner)
    contract.refresh_from_db()
    services.contract_sign(actor=staff, contract=contract)
    contract.refresh_from_db()
    return contract


def _report(leader, commissioner, ms: Milestone, values: dict, verify=True):
    services.milestone_report(
        actor=leader,
        milestone=ms,
        report=f"{ms.title}：已按合同完成，各项考核指标的实测值逐项填报如下，测试记录留存备查。",
        values=values,
    )
    if verify:
        services.milestone_verify(actor=commissioner, milestone=ms, note="现场核查属实")


def load(*, stdout=None) -> None:
    staff = _user("staff")
    comm1, comm2 = _user("commissioner"), _user("commissioner2")
    units = {u.name: u for u in Unit.objects.all()}
    _needs(staff, units)
    for title, *_rest in TOPICS:
        _topic(staff, title)
    today = timezone.localdate()
    year = today.year

    def todo(code):
        return not Challenge.objects.filter(code=code).exists()

    # 1. SiC substrates: awarded last year, running, its first milestone overdue.
    code = f"JB-{year - 1}-001"
    if todo(code):
        ch = _challenge(
            staff,
            code,
            "碳化硅单晶衬底及生长工艺",
            "8英寸导电型碳化硅单晶衬底及生长工艺",
            year=year - 1,
            budget=1500,
            cofunder=units["山西碳化硅材料有限公司"],
            share=30,
            indicators=[
                {"name": "衬底直径", "unit": "英寸", "baseline": 6, "target": 8},
                {
                    "name": "微管密度",
                    "unit": "个/cm²",
                    "baseline": 1,
                    "target": "0.1",
                    "higher_is_better": False,
                },
                {"name": "衬底良率", "unit": "%", "baseline": 50, "target": 75},
            ],
        )
        services.challenge_publish(actor=staff, challenge=ch)
        unit = units["山西碳化硅材料有限公司"]
        app = _apply(
            ch,
            unit,
            _user("applicant2"),
            title="8英寸碳化硅单晶衬底产业化",
            plan="物理气相传输法（PVT），优化热场与籽晶粘接，建设中试线。",
            budget=Decimal("1200"),
            milestones=_milestones(
                1200,
                {"衬底直径": "8", "衬底良率": "60"},
                {"衬底直径": "8", "微管密度": "0.1", "衬底良率": "75"},
            ),
        )
        _to_review(staff, ch, [app], [88.2])
        (contract,) = _award(staff, ch, [app], start=today - datetime.timedelta(days=400))
        _run(staff, contract, comm1)

    # 2. Human collagen: open now, one draft application.
    code = f"JB-{year}-002"
    if todo(code):
        ch = _challenge(
            staff,
            code,
            "大规模人源胶原蛋白制备",
            "重组人源胶原蛋白规模化制备",
            year=year,
            budget=800,
            indicators=[
                {"name": "发酵表达量", "unit": "g/L", "baseline": 5, "target": 12},
                {"name": "纯化收率", "unit": "%", "baseline": 40, "target": 70},
            ],
        )
        services.challenge_publish(actor=staff, challenge=ch)
        unit = units["山西锦波生物医药股份有限公司"]
        sxu, tyut = units["山西大学"], units["太原理工大学"]
        _apply(
            ch,
            unit,
            _leader_for(unit),
            title="人源胶原蛋白万吨级制备",
            plan="高密度发酵与层析纯化工艺。",
            budget=Decimal("700"),
            milestones=_milestones(700, {"发酵表达量": "8"}, {"发酵表达量": "12", "纯化收率": "70"}),
            submit=False,
            # A joint application: a university partner for the purification, another for the equipment.
            partners=[
                {"unit": sxu, "role": "participant", "duty": "层析纯化工艺研究", "budget": Decimal("150")},
                {"unit": tyut, "role": "support", "duty": "发酵罐放大设计", "budget": Decimal("80")},
            ],
            members=[
                {"name": "项目骨干甲", "title": "高级工程师", "duty": "发酵工艺"},
                {"name": "纯化教授", "title": "教授", "duty": "层析纯化", "unit": sxu},
                {"name": "装备副教授", "title": "副教授", "duty": "发酵罐放大", "unit": tyut},
            ],
        )

    # 3. Tube maglev: closed, two applications under expert review.
    code = f"JB-{year}-003"
    if todo(code):
        ch = _challenge(
            staff,
            code,
            "低真空管道磁悬浮",
            "低真空管道高速磁浮试验线关键技术",
            year=year,
            budget=3000,
            indicators=[
                {"name": "试验速度", "unit": "km/h", "baseline": 200, "target": 600},
                {"name": "管道真空度", "unit": "kPa", "baseline": 10, "target": 1, "higher_is_better": False},
            ],
        )
        services.challenge_publish(actor=staff, challenge=ch)
        a1 = _apply(
            ch,
            units["大同高速飞车科技有限公司"],
            _user("applicant"),
            title="600公里级低真空管道磁浮试验线",
            plan="高温超导电动悬浮＋直线电机牵引，大同试验线。",
            budget=Decimal("2800"),
            milestones=_milestones(2800, {"试验速度": "300"}, {"试验速度": "600", "管道真空度": "1"}),
        )
        nuc = units["中北大学"]
        a2 = _apply(
            ch,
            nuc,
            _leader_for(nuc),
            title="管道磁浮悬浮导向与控制",
            plan="电磁悬浮导向一体化控制。",
            budget=Decimal("2000"),
            milestones=_milestones(2000, {"试验速度": "250"}, {"试验速度": "600", "管道真空度": "1"}),
        )
        _to_review(staff, ch, [a1, a2], [91.5, 84.0], closed_days_ago=5)

    # 4. Smart mine: in publicity, an objection waiting for an answer.
    code = f"JB-{year}-004"
    if todo(code):
        ch = _challenge(
            staff,
            code,
            "智能矿山创新实验室",
            "煤矿智能化开采创新实验室",
            year=year,
            budget=1200,
            indicators=[{"name": "工作面无人化率", "unit": "%", "baseline": 30, "target": 80}],
        )
        services.challenge_publish(actor=staff, challenge=ch)
        tyut = units["太原理工大学"]
        app = _apply(
            ch,
            tyut,
            _leader_for(tyut),
            title="智能综采工作面与安全监控",
            plan="5G＋智能综采。",
            budget=Decimal("1000"),
            milestones=_milestones(1000, {"工作面无人化率": "50"}, {"工作面无人化率": "80"}),
        )
        _to_review(staff, ch, [app], [86.0], closed_days_ago=10)
        services.decision_publish(
            actor=staff, challenge=ch, winners=[app], starts_on=today - datetime.timedelta(days=2), days=7
        )
        services.objection_lodge(
            actor=_user("applicant"),
            application=app,
            text="该团队挂帅人同时承担其他省级项目，精力是否足够？",
            contact="0352-0000000",
        )

    # 5. Exascale software: a draft list.
    code = f"JB-{year}-005"
    if todo(code):
        _challenge(
            staff,
            code,
            "E级异构自适应软件系统",
            "E级超算异构自适应软件系统",
            year=year,
            budget=2000,
            indicators=[{"name": "并行效率", "unit": "%", "baseline": 40, "target": 70}],
        )

    # 6. Ion-trap quantum computing: racing, two teams running, a down-select due.
    code = f"JB-{year - 1}-006"
    if todo(code):
        ch = _challenge(
            staff,
            code,
            "大规模离子阱量子计算",
            "大规模离子阱量子计算原型机",
            year=year - 1,
            budget=2500,
            winners=2,
            months=36,
            indicators=[
                {"name": "囚禁离子数", "unit": "个", "baseline": 20, "target": 100},
                {"name": "双比特门保真度", "unit": "%", "baseline": 98, "target": "99.5"},
            ],
        )
        Challenge.objects.filter(pk=ch.pk).update(downselect_on=today + datetime.timedelta(days=60))
        counters.recount("challenges.version")
        services.challenge_publish(actor=staff, challenge=ch)
        sxu, qc = units["山西大学"], units["山西量子通信技术有限公司"]
        ms = _milestones(
            2000, {"囚禁离子数": "50"}, {"囚禁离子数": "100", "双比特门保真度": "99.5"}, months=36
        )
        t1 = _apply(
            ch,
            sxu,
            _leader_for(sxu),
            title="二维离子阱阵列量子计算",
            plan="二维表面阱＋光学寻址。",
            budget=Decimal("2000"),
            milestones=ms,
        )
        t2 = _apply(
            ch,
            qc,
            _leader_for(qc),
            title="模块化离子阱量子计算",
            plan="模块化离子阱与光子互联。",
            budget=Decimal("2000"),
            milestones=ms,
        )
        _to_review(staff, ch, [t1, t2], [89.0, 87.5])
        for i, c in enumerate(_award(staff, ch, [t1, t2], start=today - datetime.timedelta(days=300))):
            _run(staff, c, comm2 if i else comm1)

    # 7. CV-QKD: open, one submitted application.
    code = f"JB-{year}-007"
    if todo(code):
        ch = _challenge(
            staff,
            code,
            "高速连续变量量子密钥分发",
            "高速连续变量量子密钥分发系统",
            year=year,
            budget=900,
            indicators=[
                {"name": "安全码率", "unit": "Mbps", "baseline": 1, "target": 10},
                {"name": "传输距离", "unit": "km", "baseline": 25, "target": 50},
            ],
        )
        services.challenge_publish(actor=staff, challenge=ch)
        qc = units["山西量子通信技术有限公司"]
        _apply(
            ch,
            qc,
            _leader_for(qc),
            title="高速CV-QKD系统研制",
            plan="高速相干探测与后处理。",
            budget=Decimal("800"),
            milestones=_milestones(800, {"安全码率": "5"}, {"安全码率": "10", "传输距离": "50"}),
        )

    # 8. Graphene film: finished, accepted, results and a licence.
    code = f"JB-{year - 3}-008"
    if todo(code):
        ch = _challenge(
            staff,
            code,
            "高通量石墨烯散热膜",
            "高通量石墨烯散热膜制备技术",
            year=year - 3,
            budget=1000,
            indicators=[
                {"name": "面内导热系数", "unit": "W/(m·K)", "baseline": 1000, "target": 1500},
                {"name": "卷材宽度", "unit": "mm", "baseline": 300, "target": 600},
            ],
        )
        services.challenge_publish(actor=staff, challenge=ch)
        g = units["山西石墨烯新材料有限公司"]
        leader = _leader_for(g)
        app = _apply(
            ch,
            g,
            leader,
            title="卷对卷石墨烯导热膜",
            plan="氧化石墨烯涂布＋高温石墨化卷对卷工艺。",
            budget=Decimal("900"),
            milestones=_milestones(
                900, {"面内导热系数": "1300"}, {"面内导热系数": "1500", "卷材宽度": "600"}
            ),
        )
        _to_review(staff, ch, [app], [90.0])
        (c,) = _award(staff, ch, [app], start=today - datetime.timedelta(days=3 * 365))
        c = _run(staff, c, comm1)
        m1, m2 = c.milestones.order_by("seq")
        _report(leader, comm1, m1, {"面内导热系数": "1350"})
        _report(leader, comm1, m2, {"面内导热系数": "1620", "卷材宽度": "600"})
        services.acceptance_request(actor=leader, contract=c)
        c.refresh_from_db()
        services.acceptance_record(
            actor=staff,
            contract=c,
            achieved={"面内导热系数": "1620", "卷材宽度": "600"},
            verdict="passed",
            panel="张教授、黄研究员、吴教授",
            opinion="各项指标全部达到任务书要求。",
            accepted_on=today - datetime.timedelta(days=60),
        )
        c.refresh_from_db()
        r1 = services.result_record(
            actor=leader,
            contract=c,
            kind="patent",
            title="一种卷对卷石墨烯导热膜的制备方法",
            identifier="ZL 2023 1 0000000.0",
            achieved_on=today - datetime.timedelta(days=400),
        )
        r2 = services.result_record(
            actor=leader,
            contract=c,
            kind="product",
            title="600mm宽幅石墨烯导热膜",
            achieved_on=today - datetime.timedelta(days=90),
        )
        services.result_record(
            actor=leader,
            contract=c,
            kind="standard",
            title="石墨烯导热膜团体标准",
            identifier="T/SXGA 001",
            achieved_on=today - datetime.timedelta(days=70),
        )
        services.transfer_record(
            actor=leader,
            result=r1,
            kind="licence",
            counterparty="某消费电子企业",
            amount=Decimal("1200"),
            transferred_on=today - datetime.timedelta(days=50),
        )
        services.transfer_record(
            actor=leader,
            result=r2,
            kind="equity",
            counterparty="山西石墨烯散热科技有限公司",
            amount=Decimal("2000"),
            transferred_on=today - datetime.timedelta(days=30),
        )
        services.challenge_finish(actor=staff, challenge=ch)

    # 9. HJT sputtering: running, a milestone reported awaiting verification, a change request pending.
    code = f"JB-{year - 1}-009"
    if todo(code):
        ch = _challenge(
            staff,
            code,
            "异质结电池磁控溅射装备",
            "异质结电池磁控溅射镀膜装备国产化",
            year=year - 1,
            budget=1500,
            indicators=[
                {"name": "产能", "unit": "片/小时", "baseline": 5000, "target": 8000},
                {"name": "靶材利用率", "unit": "%", "baseline": 30, "target": 80},
            ],
        )
        services.challenge_publish(actor=staff, challenge=ch)
        h = units["山西异质结光伏装备有限公司"]
        leader = _leader_for(h)
        app = _apply(
            ch,
            h,
            leader,
            title="HJT旋转靶磁控溅射装备",
            plan="旋转靶＋RPD 兼容设计。",
            budget=Decimal("1300"),
            milestones=_milestones(1300, {"产能": "6500"}, {"产能": "8000", "靶材利用率": "80"}),
        )
        _to_review(staff, ch, [app], [85.0])
        (c,) = _award(staff, ch, [app], start=today - datetime.timedelta(days=330))
        c = _run(staff, c, comm2)
        m1 = c.milestones.get(seq=1)
        _report(leader, comm2, m1, {"产能": "6800"}, verify=False)
        services.change_request_create(
            actor=leader,
            contract=c,
            kind="dates",
            reason="进口真空泵到货延迟三个月",
            payload={
                "milestones": {
                    "2": (c.milestones.get(seq=2).due_date + datetime.timedelta(days=90)).isoformat()
                }
            },
        )

    # 10. Urban energy internet: open.
    code = f"JB-{year}-010"
    if todo(code):
        ch = _challenge(
            staff,
            code,
            "城市能源互联网管控",
            "城市能源互联网管理与调控平台",
            year=year,
            budget=1000,
            indicators=[{"name": "可调负荷接入", "unit": "MW", "baseline": 50, "target": 300}],
        )
        services.challenge_publish(actor=staff, challenge=ch)

    # 11. Deep geothermal: closed, waiting for the formal check.
    code = f"JB-{year}-011"
    if todo(code):
        ch = _challenge(
            staff,
            code,
            "深层增强型地热系统",
            "深层增强型地热系统示范",
            year=year,
            budget=2000,
            indicators=[{"name": "单井取热功率", "unit": "MW", "baseline": 1, "target": 5}],
        )
        services.challenge_publish(actor=staff, challenge=ch)
        tyut = units["太原理工大学"]
        _apply(
            ch,
            tyut,
            _leader_for(tyut),
            title="干热岩储层压裂与取热",
            plan="水平井多级压裂建造人工热储。",
            budget=Decimal("1800"),
            milestones=_milestones(1800, {"单井取热功率": "2"}, {"单井取热功率": "5"}),
        )
        # A near-copy from another unit: the duplicate check (查重) lists the pair at the formal check.
        sxu = units["山西大学"]
        _apply(
            ch,
            sxu,
            _leader_for(sxu),
            title="干热岩储层压裂与取热技术",
            plan="水平井多级压裂建造人工热储。",
            budget=Decimal("1800"),
            milestones=_milestones(1800, {"单井取热功率": "2"}, {"单井取热功率": "5"}),
        )
        _pass_deadline(ch, 2)
        services.challenge_close(actor=SYSTEM, challenge=ch)

    # 12. The 2020 hydrogen fuel-cell hybrid locomotive: stage result rolled out on 27 January 2021.
    code = "JB-2020-003"
    if todo(code):
        ch = _challenge(
            staff,
            code,
            "氢燃料电池混合动力机车",
            "氢燃料电池混合动力机车研制",
            year=2020,
            budget=2000,
            months=36,
            cofunder=units["中车大同电力机车有限公司"],
            share=40,
            indicators=[
                {"name": "燃料电池系统功率", "unit": "kW", "baseline": 200, "target": 400},
                {"name": "续航里程", "unit": "km", "baseline": 100, "target": 300},
            ],
        )
        services.challenge_publish(actor=staff, challenge=ch)
        crrc = units["中车大同电力机车有限公司"]
        leader = _leader_for(crrc)
        app = _apply(
            ch,
            crrc,
            leader,
            title="氢燃料电池混合动力机车",
            plan="燃料电池＋动力电池混合动力系统与机车集成。",
            budget=Decimal("1800"),
            milestones=[
                {
                    "title": "样车下线",
                    "month": 8,
                    "tranche": Decimal("900"),
                    "targets": {"燃料电池系统功率": "400"},
                },
                {
                    "title": "线路试验与定型",
                    "month": 36,
                    "tranche": Decimal("900"),
                    "targets": {"燃料电池系统功率": "400", "续航里程": "300"},
                },
            ],
        )
        _to_review(staff, ch, [app], [92.0])
        (c,) = _award(staff, ch, [app], start=datetime.date(2020, 6, 1))
        c = _run(staff, c, comm1)
        m1 = c.milestones.get(seq=1)
        _report(leader, comm1, m1, {"燃料电池系统功率": "400"})
        services.result_record(
            actor=leader,
            contract=c,
            kind="product",
            title="氢燃料电池混合动力机车样车下线",
            achieved_on=datetime.date(2021, 1, 27),
            is_stage_result=True,
            description="2020年揭榜挂帅项目的阶段性成果：样车于2021年1月27日下线。",
        )
        m2 = c.milestones.get(seq=2)
        _report(leader, comm1, m2, {"燃料电池系统功率": "400", "续航里程": "320"})
        services.acceptance_request(actor=leader, contract=c)
        c.refresh_from_db()
        services.acceptance_record(
            actor=staff,
            contract=c,
            achieved={"燃料电池系统功率": "400", "续航里程": "320"},
            verdict="conditional",
            conditions="补充低温（-30℃）冷启动试验报告。",
            opinion="主要指标达到任务书要求。",
            accepted_on=datetime.date(2023, 7, 15),
        )
        services.challenge_finish(actor=staff, challenge=ch)
    # 13. Quantum-dot displays: a list on 揭榜挂帅 with every optional stage (its own programme type,
    # programme.SHOWCASE_NAME: 预申报, 函评 then 答辩, 绩效评价), open at its 预申报 with one pre-application
    # awaiting the invitation. Pinned after drafting: new lists keep pinning 揭榜挂帅's newest version.
    code = f"JB-{year}-013"
    if todo(code):
        ch = _challenge(
            staff,
            code,
            "城市能源互联网管控",
            "虚拟电厂聚合调控与交易平台",
            year=year,
            budget=800,
            indicators=[{"name": "聚合可调资源", "unit": "MW", "baseline": 20, "target": 200}],
        )
        Challenge.objects.filter(pk=ch.pk).update(programme_version=programme.showcase_version(actor=staff))
        counters.recount("challenges.version")
        ch.refresh_from_db()
        services.challenge_publish(actor=staff, challenge=ch)
        qc = units["山西量子通信技术有限公司"]
        services.pre_application_submit(
            actor=_leader_for(qc),
            challenge=ch,
            values={
                "f1": "虚拟电厂聚合调控平台",
                "f2": "600",
                "f3": "分布式资源聚合、日前与实时调控、交易结算。",
            },
        )
    # English names for lists a demo loaded before they existed (any status: a rendering, audited)
    for ch in Challenge.objects.filter(title_en="", title__in=TITLES_EN):
        services.challenge_translate(actor=staff, challenge=ch, title_en=TITLES_EN[ch.title])
    # and for their target indicators and the contracts' (those without one yet)
    for ch in Challenge.objects.filter(title__in=TITLES_EN):
        services.indicator_names_translate(
            actor=staff,
            challenge=ch,
            names={
                i.name: INDICATOR_NAMES_EN[i.name]
                for i in ch.indicators.filter(name_en="", name__in=INDICATOR_NAMES_EN)
            },
        )
        services.indicator_units_translate(
            actor=staff,
            challenge=ch,
            units={
                i.unit: INDICATOR_UNITS_EN[i.name]
                for i in ch.indicators.filter(unit_en="", name__in=INDICATOR_UNITS_EN)
            },
        )
    # The flags the daily job would raise today.
    services.milestones_flag(today=today)
    # The duplicate check over every application (the job runs per submission; here once for all).
    services.dedup_rebuild(actor=staff)
    say(
        stdout,
        gettext_noop(
            "揭榜挂帅：%(lists)s 个榜单，%(applications)s 份申请，%(contracts)s 份合同，%(flagged)s 个预警里程碑"
        ),
        lists=Challenge.objects.count(),
        applications=Application.objects.count(),
        contracts=Contract.objects.count(),
        flagged=Milestone.objects.exclude(flag="").count(),
    )
