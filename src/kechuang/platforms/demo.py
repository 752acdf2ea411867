"""The demo province's platforms, built from the facts of the two provincial reports (DOMAIN.md).

Province A (山西), H1 2021: 1 province–ministry co-built national key lab approved, 10 provincial labs
(incl. the high-speed maglev lab in Datong, 24 May) and 37 provincial key labs inaugurated; an industry
alliance of 42 member units founded on 24 May. Province B (甘肃): 12 national key labs (4 reorganised,
4 in trial operation), 6 national engineering (technology) research centres, 2 new national science &
education infrastructures, 82 provincial innovation bases consolidated into 42 (with lineage), 4 new
provincial basic-discipline research centres, 11 enterprise innovation consortia with 250+ member units
and 74/89/71 achievements. Records the reports name keep their names; the unnamed ones get plausible
generated names and every record is marked `is_demo`. Idempotent: everything is matched by code/name.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_noop

from kechuang.accounts.demo import demo_credit_code
from kechuang.accounts.models import Unit, User
from kechuang.accounts.services import unit_create
from kechuang.core.commands import say
from kechuang.core.messages import Message
from kechuang.core.roles import DEMO

from . import services
from .models import Achievement, Kind, Membership, Platform, Reorganisation, Status, YearlyReport

ACTOR = DEMO
D = datetime.date
A, B = "山西", "甘肃"

# Province A: 10 provincial labs inaugurated in H1 2021 (code, name, host, city, date, disciplines, industries, mission)
A_LABS = [
    (
        "SX-PL-01",
        "高速飞车省实验室",
        "中北大学",
        "大同",
        D(2021, 5, 24),
        ["交通运输工程", "电磁学"],
        ["轨道交通", "高端装备"],
        "面向低真空管道高速磁浮（高速飞车）开展磁悬浮、直线电机与低真空管道关键技术研究，建设大同试验线。",
    ),
    (
        "SX-PL-02",
        "量子光学与量子信息省实验室",
        "山西大学",
        "太原",
        D(2021, 1, 18),
        ["物理学", "光学"],
        ["量子信息"],
        "量子光学、量子精密测量与连续变量量子密钥分发研究。",
    ),
    (
        "SX-PL-03",
        "煤炭清洁低碳利用省实验室",
        "太原理工大学",
        "太原",
        D(2021, 2, 26),
        ["化学工程", "能源科学"],
        ["煤炭", "新能源"],
        "煤炭清洁高效低碳利用、煤基新材料与碳减排技术。",
    ),
    (
        "SX-PL-04",
        "杂粮种质创新与分子育种省实验室",
        "山西农业大学",
        "晋中",
        D(2021, 3, 12),
        ["作物学", "遗传学"],
        ["种业", "现代农业"],
        "杂粮种质资源挖掘、分子育种与品种创制。",
    ),
    (
        "SX-PL-05",
        "半导体材料与器件省实验室",
        "中北大学",
        "太原",
        D(2021, 3, 30),
        ["材料科学", "电子科学"],
        ["半导体", "集成电路"],
        "第三代半导体材料生长、器件与封装技术。",
    ),
    (
        "SX-PL-06",
        "碳化硅单晶材料省实验室",
        "山西碳化硅材料有限公司",
        "太原",
        D(2021, 4, 15),
        ["材料科学"],
        ["半导体", "新材料"],
        "碳化硅单晶衬底及生长工艺产业化关键技术。",
    ),
    (
        "SX-PL-07",
        "智能采矿装备省实验室",
        "太原理工大学",
        "太原",
        D(2021, 4, 28),
        ["矿业工程", "机械工程"],
        ["煤炭", "高端装备"],
        "智慧矿山、智能采掘装备与井下机器人技术。",
    ),
    (
        "SX-PL-08",
        "氢能与燃料电池省实验室",
        "中车大同电力机车有限公司",
        "大同",
        D(2021, 5, 20),
        ["能源科学", "电气工程"],
        ["氢能", "轨道交通"],
        "氢燃料电池混合动力机车与氢能装备技术。",
    ),
    (
        "SX-PL-09",
        "重组胶原蛋白省实验室",
        "山西锦波生物医药股份有限公司",
        "太原",
        D(2021, 6, 8),
        ["生物学", "药学"],
        ["生物医药"],
        "规模化人源胶原蛋白的设计、表达与产业化。",
    ),
    (
        "SX-PL-10",
        "石墨烯新材料省实验室",
        "山西石墨烯新材料有限公司",
        "太原",
        D(2021, 6, 25),
        ["材料科学"],
        ["新材料"],
        "煤基石墨烯复合材料与高通量石墨烯散热膜制备技术。",
    ),
]

KEY_LAB_FIELDS = [
    ("光电材料", "材料科学", "新材料"),
    ("精密测量", "仪器科学", "高端装备"),
    ("煤层气开发", "矿业工程", "煤炭"),
    ("镁合金", "材料科学", "新材料"),
    ("智能电网", "电气工程", "能源"),
    ("先进纺织", "材料科学", "轻工"),
    ("功能高分子", "化学", "新材料"),
    ("作物生态", "作物学", "现代农业"),
    ("动物疫病防控", "兽医学", "现代农业"),
    ("肿瘤精准医学", "临床医学", "生物医药"),
    ("心血管病", "临床医学", "生物医药"),
    ("中药资源", "药学", "生物医药"),
    ("环境污染控制", "环境科学", "节能环保"),
    ("黄河流域生态", "生态学", "节能环保"),
    ("岩土工程", "土木工程", "建筑"),
    ("机器人", "控制科学", "智能制造"),
    ("大数据", "计算机科学", "数字经济"),
    ("网络安全", "计算机科学", "数字经济"),
    ("特种金属", "冶金工程", "新材料"),
    ("焦化副产品", "化学工程", "煤化工"),
    ("光伏材料", "材料科学", "新能源"),
    ("储能技术", "能源科学", "新能源"),
    ("传感器", "电子科学", "电子信息"),
    ("微纳制造", "机械工程", "智能制造"),
    ("文物保护", "考古学", "文化"),
    ("干旱区水资源", "水利工程", "现代农业"),
    ("食品安全", "食品科学", "食品"),
    ("医学影像", "生物医学工程", "生物医药"),
    ("康复工程", "生物医学工程", "生物医药"),
    ("煤矿安全", "安全科学", "煤炭"),
    ("煤化工催化", "化学工程", "煤化工"),
    ("固废资源化", "环境科学", "节能环保"),
    ("超硬材料", "材料科学", "新材料"),
    ("新型建材", "材料科学", "建筑"),
    ("精细化工", "化学", "化工"),
    ("复合材料", "材料科学", "新材料"),
    ("高效电机", "电气工程", "高端装备"),
]
A_HOSTS = ["山西大学", "太原理工大学", "中北大学", "山西农业大学", "山西省医学科学院"]

# Province B
B_OPERATING_NKL = [
    (
        "GS-NKL-01",
        "重离子束辐射生物医学全国重点实验室",
        "中国科学院近代物理研究所",
        ["核物理", "生物医学"],
        ["核技术应用", "生物医药"],
        "重离子治癌、辐射生物学与重离子治疗装置研制。",
    ),
    (
        "GS-NKL-02",
        "固体润滑全国重点实验室",
        "中国科学院兰州化学物理研究所",
        ["化学", "材料科学"],
        ["新材料", "航空航天"],
        "空间与极端工况固体润滑材料与技术。",
    ),
    (
        "GS-NKL-03",
        "功能有机分子化学全国重点实验室",
        "兰州大学",
        ["化学"],
        ["化工", "生物医药"],
        "功能有机分子的合成与应用。",
    ),
    (
        "GS-NKL-04",
        "草种创新与草地农业生态系统全国重点实验室",
        "兰州大学",
        ["草学", "生态学"],
        ["现代农业"],
        "草种创新与草地农业。",
    ),
]
B_REORGANISED_OLD = [
    ("GS-SKL-OLD-1", "应用有机化学国家重点实验室", "兰州大学", ["化学"]),
    ("GS-SKL-OLD-2", "羰基合成与选择氧化国家重点实验室", "中国科学院兰州化学物理研究所", ["化学"]),
    ("GS-SKL-OLD-3", "冻土工程国家重点实验室", "兰州大学", ["地理学", "土木工程"]),
    ("GS-SKL-OLD-4", "有色金属先进加工与再利用国家重点实验室", "兰州大学", ["冶金工程"]),
]
B_REORGANISED_NEW = [
    ("GS-NKL-05", "应用有机化学全国重点实验室", "兰州大学", ["化学"], ["化工"], D(2021, 10, 15)),
    (
        "GS-NKL-06",
        "低碳催化与二氧化碳利用全国重点实验室",
        "中国科学院兰州化学物理研究所",
        ["化学"],
        ["化工", "新能源"],
        D(2021, 10, 15),
    ),
    (
        "GS-NKL-07",
        "寒旱区冻土工程与环境全国重点实验室",
        "兰州大学",
        ["地理学", "土木工程"],
        ["交通运输"],
        D(2021, 11, 20),
    ),
    (
        "GS-NKL-08",
        "有色金属先进加工与再利用全国重点实验室",
        "兰州大学",
        ["冶金工程"],
        ["有色金属"],
        D(2021, 11, 20),
    ),
]
B_TRIAL = [
    ("GS-NKL-09", "钍基熔盐堆核能系统全国重点实验室", "中国科学院近代物理研究所", ["核科学"], ["核技术应用"]),
    (
        "GS-NKL-10",
        "镍钴共伴生资源综合利用全国重点实验室",
        "金川镍钴新材料有限公司",
        ["冶金工程"],
        ["有色金属"],
    ),
    ("GS-NKL-11", "新能源电池材料全国重点实验室", "白银新能源电池材料有限公司", ["材料科学"], ["新能源"]),
    ("GS-NKL-12", "高档数控机床全国重点实验室", "天水星火数控机床有限公司", ["机械工程"], ["高端装备"]),
]
B_NERC = [
    ("GS-NERC-01", "重离子治疗装置国家工程研究中心", "甘肃重离子医疗装备有限公司"),
    ("GS-NERC-02", "镍钴新材料国家工程研究中心", "金川镍钴新材料有限公司"),
    ("GS-NERC-03", "电池材料国家工程技术研究中心", "白银新能源电池材料有限公司"),
    ("GS-NERC-04", "数控机床国家工程研究中心", "天水星火数控机床有限公司"),
    ("GS-NERC-05", "绿色化工国家工程研究中心", "中国科学院兰州化学物理研究所"),
    ("GS-NERC-06", "寒旱农业国家工程技术研究中心", "兰州大学"),
]
B_INFRA = [
    ("GS-INF-01", "强流重离子加速器装置", "中国科学院近代物理研究所", D(2021, 3, 1), Status.BUILDING),
    ("GS-INF-02", "钍基熔盐实验堆", "中国科学院近代物理研究所", D(2021, 8, 1), Status.BUILDING),
    ("GS-INF-03", "高精度地基授时系统", "中国科学院近代物理研究所", D(2019, 6, 1), Status.OPERATING),
]
B_BDC = ["数学", "理论物理", "化学", "生态学"]
B_CITIES = ["兰州", "天水", "白银", "金昌", "酒泉", "张掖", "武威", "庆阳", "平凉", "定西", "陇南"]
B_TRADES = [
    "新材料",
    "装备制造",
    "生物医药",
    "新能源",
    "电子信息",
    "精细化工",
    "有色冶金",
    "现代农业",
    "数控机床",
    "核技术应用",
    "节能环保",
    "智能制造",
    "石油化工",
    "中医药",
    "轨道交通",
    "光伏科技",
    "风电装备",
    "储能科技",
    "特种合金",
    "氢能科技",
    "稀土材料",
    "检验检测",
    "工程设计",
    "信息技术",
]
CONSORTIA = [
    ("镍钴新材料", "金川镍钴新材料有限公司"),
    ("新能源电池材料", "白银新能源电池材料有限公司"),
    ("重离子医疗装备", "甘肃重离子医疗装备有限公司"),
    ("高档数控机床", "天水星火数控机床有限公司"),
    ("绿色化工", None),
    ("现代种业", None),
    ("中医药大健康", None),
    ("风光储一体化", None),
    ("氢能产业", None),
    ("有色金属深加工", None),
    ("低渗煤层气开发", None),
]
# Province A (the department's own, KECHUANG_HOME_REGION): enterprise innovation consortia founded since 2022, so
# that its dashboard and platform cards count consortia of their own (code, field, English field, city, lead,
# universities and institutes among the members).
A_CONSORTIA = [
    (
        "SX-CON-01",
        "煤基新材料",
        "Coal-based New Materials",
        "太原",
        "晋能煤基新材料集团有限公司（演示）",
        ["太原理工大学"],
    ),
    (
        "SX-CON-02",
        "氢能产业",
        "Hydrogen Energy",
        "长治",
        "潞安氢能科技有限公司（演示）",
        ["太原理工大学", "中北大学"],
    ),
    (
        "SX-CON-03",
        "碳化硅半导体",
        "Silicon Carbide Semiconductors",
        "太原",
        "山西碳化硅半导体有限公司（演示）",
        ["山西大学"],
    ),
    (
        "SX-CON-04",
        "特种金属材料",
        "Special Metal Materials",
        "太原",
        "太原特种金属材料有限公司（演示）",
        ["太原理工大学"],
    ),
    (
        "SX-CON-05",
        "智能煤机装备",
        "Intelligent Coal Mining Equipment",
        "太原",
        "太原智能煤机装备有限公司（演示）",
        ["中北大学"],
    ),
]
A_CONSORTIUM_TRADES = ["材料", "装备", "科技", "能源", "检测", "工程", "化工", "智能"]

ACHIEVEMENT_SPLIT = {  # per consortium: import substitution, leading, industry need (totals 74, 89, 71)
    i: (7 if i < 8 else 6, 9 if i < 1 else 8, 7 if i < 5 else 6) for i in range(11)
}


def _unit(name: str, *, kind: str = "enterprise", city: str = "", province: str = "", seq: int = 0) -> Unit:
    unit = Unit.objects.filter(name=name).first()
    if unit:
        return unit
    code = demo_credit_code(seq, "620100" if province == B else "140100") if kind == "enterprise" else ""
    return unit_create(actor=ACTOR, name=name, kind=kind, city=city, province=province, credit_code=code)


def _platform(
    code, name, kind, host, established, *, status=Status.OPERATING, **fields
) -> tuple[Platform, bool]:
    existing = Platform.objects.filter(code=code).first()
    if existing:
        return existing, False
    p = services.platform_create(
        actor=ACTOR,
        code=code,
        name=name,
        kind=kind,
        host=host,
        established=established,
        status=status,
        is_demo=True,
        **fields,
    )
    return p, True


def _units() -> dict[str, Unit]:
    return {u.name: u for u in Unit.objects.all()}


def _province_a(units, out) -> None:
    co, made = _platform(
        "SX-NKL-01",
        "省部共建煤基能源清洁高效利用全国重点实验室",
        Kind.NATIONAL_KEY_LAB,
        units["太原理工大学"],
        D(2021, 4, 6),
        status=Status.BUILDING,
        co_built=True,
        disciplines=["化学工程", "能源科学"],
        industries=["煤炭", "煤化工"],
        mission="煤基能源清洁高效利用与低碳转化（省部共建）。",
        cohosts=[units["山西省科学技术厅"]],
    )
    _platform(
        "SX-NKL-00",
        "量子光学与光量子器件国家重点实验室",
        Kind.NATIONAL_KEY_LAB,
        units["山西大学"],
        D(2001, 12, 1),
        disciplines=["物理学", "光学"],
        industries=["量子信息"],
        mission="量子光学、光量子器件与量子精密测量基础研究。",
    )
    for code, name, host, city, date, disc, ind, mission in A_LABS:
        p, made = _platform(
            code,
            name,
            Kind.PROVINCIAL_LAB,
            units[host],
            date,
            status=Status.BUILDING,
            city=city,
            province=A,
            disciplines=disc,
            industries=ind,
            mission=mission,
        )
        if made:
            # Each lab moved to operation a year after its inauguration.
            services.platform_transition(
                actor=ACTOR,
                platform=p,
                action="operate",
                on=date.replace(year=2022),
                reason="建设期满，转入运行",
            )
    for i, (topic, disc, ind) in enumerate(KEY_LAB_FIELDS):
        host = A_HOSTS[i % len(A_HOSTS)]
        date = D(2021, 1 + i % 6, 5 + (i * 3) % 20)
        _platform(
            f"SX-PKL-{i + 1:02d}",
            f"山西省{topic}重点实验室",
            Kind.PROVINCIAL_KEY_LAB,
            units[host],
            date,
            province=A,
            disciplines=[disc],
            industries=[ind],
            mission=f"{topic}领域应用基础研究与关键技术攻关。",
        )
    # Two older key labs of one host that overlap (a merge candidate for the overlap analysis).
    _platform(
        "SX-PKL-90",
        "山西省煤基碳材料重点实验室",
        Kind.PROVINCIAL_KEY_LAB,
        units["太原理工大学"],
        D(2015, 6, 1),
        province=A,
        disciplines=["材料科学", "化学工程"],
        industries=["新材料", "煤化工"],
        mission="煤基碳材料与煤基石墨烯制备及应用研究。",
    )
    _platform(
        "SX-PKL-91",
        "山西省煤基新材料重点实验室",
        Kind.PROVINCIAL_KEY_LAB,
        units["太原理工大学"],
        D(2017, 3, 1),
        province=A,
        disciplines=["材料科学", "化学工程"],
        industries=["新材料", "煤化工"],
        mission="煤基新材料、煤基石墨烯复合材料制备及应用研究。",
    )
    institute, made = _platform(
        "SX-NRD-01",
        "山西智能制造新型研发机构",
        Kind.NEW_RD_INSTITUTE,
        units["中北大学"],
        D(2019, 9, 1),
        province=A,
        disciplines=["机械工程", "控制科学"],
        industries=["智能制造"],
        mission="智能制造共性技术研发与成果转化。",
    )
    alliance, made = _platform(
        "SX-ALL-01",
        "高速飞车产业技术创新联盟",
        Kind.ALLIANCE,
        units["大同高速飞车科技有限公司"],
        D(2021, 5, 24),
        province=A,
        city="大同",
        disciplines=["交通运输工程"],
        industries=["轨道交通", "高端装备"],
        mission="覆盖科研、制造、工程建设和检测的高速飞车全产业链联盟。",
    )
    if made:
        services.membership_add(
            actor=ACTOR,
            platform=alliance,
            unit=units["大同高速飞车科技有限公司"],
            joined=D(2021, 5, 24),
            role=Membership.Role.LEAD,
        )
        founders = ["中北大学", "太原理工大学", "山西大学", "中车大同电力机车有限公司"]
        roles = ["科研", "制造", "工程", "检测"]
        seq = 1000
        while len(founders) < 41:
            n = len(founders)
            seq += 1
            founders.append(
                _unit(
                    f"大同高速飞车{roles[n % 4]}配套单位{n:02d}（演示）", city="大同", province=A, seq=seq
                ).name
            )
        for name in founders:
            services.membership_add(
                actor=ACTOR,
                platform=alliance,
                unit=_units()[name] if name not in units else units[name],
                joined=D(2021, 5, 24),
            )
        # Later changes, so "as of" counts differ from today's: one joins in 2022, one leaves in 2023.
        late = _unit("大同磁浮检测认证中心（演示）", kind="institute", city="大同", province=A)
        services.membership_add(actor=ACTOR, platform=alliance, unit=late, joined=D(2022, 3, 1))
        leaving = alliance.memberships.filter(role=Membership.Role.MEMBER).order_by("pk").last()
        services.membership_end(
            actor=ACTOR, membership=leaving, left=D(2023, 1, 1), reason="退出联盟（演示）"
        )
    operator = User.objects.filter(username="operator").first()
    if operator is not None:
        for code in ("SX-PL-01", "SX-PL-05", "SX-NRD-01"):
            services.operator_assign(actor=ACTOR, platform=Platform.objects.get(code=code), user=operator)
    # A new-type R&D institute with 60+ researchers, over 25% with doctorates.
    _report(
        institute,
        2021,
        staff=62,
        doctorates=16,
        funding=Decimal("3200"),
        projects=18,
        papers=21,
        patents=14,
        transferred=5,
        shared_hours=2600,
        accept=True,
    )
    # Yearly reports of the ten provincial labs for 2022, which the evaluation demo scores.
    for i, (code, *_rest) in enumerate(A_LABS):
        p = Platform.objects.get(code=code)
        _report(
            p,
            2022,
            staff=40 + 7 * i,
            doctorates=12 + 3 * i,
            funding=Decimal(1500 + 230 * ((i * 7) % 10)),
            projects=8 + (i * 5) % 11,
            papers=15 + (i * 13) % 30,
            patents=4 + (i * 3) % 12,
            transferred=(i * 2) % 7,
            shared_hours=800 + 150 * ((i * 3) % 10),
            accept=True,
        )
    _consortia_a(units)
    out.append(
        gettext_noop(
            "省份A：1 个省部共建全国重点实验室、10 个省实验室、37 个省重点实验室、42 家成员单位的联盟"
        )
    )


def _consortia_a(units) -> None:
    """Five consortia of the department's own province (山西), founded 2022–2023: a lead enterprise, eight member
    enterprises and the universities named, with a few achievements of 2023 each (the reports' figures are
    province B's and 2021's, untouched)."""
    seq = 3000
    for i, (code, field, field_en, city, lead_name, academics) in enumerate(A_CONSORTIA):
        seq += 20
        if Platform.objects.filter(code=code).exists():
            continue
        lead = _unit(lead_name, city=city, province=A, seq=seq)
        p, _made = _platform(
            code,
            f"山西省{field}企业创新联合体",
            Kind.CONSORTIUM,
            lead,
            D(2022 + i % 2, 3 + 2 * i, 18),
            name_en=f"Shanxi {field_en} Enterprise Innovation Consortium",
            city=city,
            province=A,
            industries=[field],
            mission=f"由龙头企业牵头、产学研协同攻关{field}关键技术的创新联合体。",
        )
        services.membership_add(
            actor=ACTOR, platform=p, unit=lead, joined=p.established, role=Membership.Role.LEAD
        )
        for k, trade in enumerate(A_CONSORTIUM_TRADES):
            member = _unit(f"{city}{field}{trade}有限公司（演示）", city=city, province=A, seq=seq + k + 1)
            services.membership_add(actor=ACTOR, platform=p, unit=member, joined=p.established)
        for name in academics:
            services.membership_add(actor=ACTOR, platform=p, unit=units[name], joined=p.established)
        for k, kind in enumerate(
            (Achievement.Kind.IMPORT_SUBSTITUTION, Achievement.Kind.LEADING, Achievement.Kind.INDUSTRY_NEED)
        ):
            for n in range(1 + (i + k) % 3):
                services.achievement_create(
                    actor=ACTOR,
                    platform=p,
                    kind=kind,
                    year=2023,
                    title=f"{field}{Achievement.Kind(kind).label}成果{n + 1:02d}（演示）",
                    evidence="演示数据：联合体年度成果统计。",
                )


def _report(platform, year, *, accept, **values) -> None:
    if YearlyReport.objects.filter(platform=platform, year=year).exists():
        return
    r = services.report_create(actor=ACTOR, platform=platform, year=year, summary="演示数据", **values)
    services.report_transition(actor=ACTOR, report=r, action="submit")
    if accept:
        services.report_transition(actor=ACTOR, report=r, action="accept")


def _province_b(units, out) -> None:
    kw = {"province": B}
    for code, name, host, disc, ind, mission in B_OPERATING_NKL:
        _platform(
            code,
            name,
            Kind.NATIONAL_KEY_LAB,
            units[host],
            D(2008, 10, 1),
            disciplines=disc,
            industries=ind,
            mission=mission,
            **kw,
        )
    for (old_code, old_name, old_host, disc), (code, name, host, ndisc, ind, date) in zip(
        B_REORGANISED_OLD, B_REORGANISED_NEW, strict=True
    ):
        old, _m = _platform(
            old_code, old_name, Kind.NATIONAL_KEY_LAB, units[old_host], D(2005, 1, 1), disciplines=disc, **kw
        )
        new, made = _platform(
            code,
            name,
            Kind.NATIONAL_KEY_LAB,
            units[host],
            date,
            disciplines=ndisc,
            industries=ind,
            mission=f"“一室一策”重组后的{name}。",
            **kw,
        )
        if made:
            services.reorganisation_create(
                actor=ACTOR,
                kind="upgrade",
                date=date,
                sources=[old],
                targets=[new],
                note="全国重点实验室重组（一室一策）",
                batch="一室一策",
            )
    for code, name, host, disc, ind in B_TRIAL:
        p, made = _platform(
            code,
            name,
            Kind.NATIONAL_KEY_LAB,
            units[host],
            D(2021, 6, 1),
            status=Status.BUILDING,
            disciplines=disc,
            industries=ind,
            mission=f"{name}，通过评审进入试运行。",
            **kw,
        )
        if made:
            services.platform_transition(
                actor=ACTOR, platform=p, action="trial", on=D(2021, 9, 1), reason="通过评审"
            )
    for code, name, host in B_NERC:
        _platform(code, name, Kind.NATIONAL_ENGINEERING_CENTRE, units[host], D(2012, 5, 1), **kw)
    for code, name, host, date, status in B_INFRA:
        _platform(code, name, Kind.NATIONAL_INFRASTRUCTURE, units[host], date, status=status, **kw)
    for i, field in enumerate(B_BDC):
        _platform(
            f"GS-BDC-{i + 1:02d}",
            f"甘肃省{field}基础学科研究中心",
            Kind.BASIC_DISCIPLINE_CENTRE,
            units["兰州大学"],
            D(2021, 12, 1 + i),
            disciplines=[field],
            mission=f"{field}基础研究与人才培养。",
            **kw,
        )
    _consolidation(units, kw)
    _consortia(units, kw)
    out.append(
        gettext_noop(
            "省份B：12 个全国重点实验室、6 个国家工程(技术)研究中心、82→42 优化整合、11 个企业创新联合体"
        )
    )


B_BASE_FIELDS = [
    "有机化学",
    "分析化学",
    "催化材料",
    "冶金工艺",
    "稀土功能材料",
    "草地生态",
    "旱作农业",
    "中药材",
    "核技术应用",
    "风能利用",
    "光伏发电",
    "电池材料",
    "数控技术",
    "石油炼化",
    "精细化工",
    "冻土工程",
    "黄土地质",
    "水资源利用",
    "荒漠化防治",
    "畜牧育种",
    "马铃薯育种",
    "果蔬保鲜",
    "智能电网",
    "机器人",
    "信息安全",
    "大数据",
    "地震工程",
    "道路工程",
    "生物制药",
    "疫苗研发",
    "医学影像",
    "肿瘤防治",
    "心血管病",
    "高原医学",
    "环境监测",
    "固废处理",
    "节能技术",
    "轻合金",
    "特种钢",
    "装备检测",
]
B_HOSTS = ["兰州大学", "中国科学院兰州化学物理研究所", "中国科学院近代物理研究所"]


def _consolidation(units, kw) -> None:
    """82 provincial innovation bases consolidated into 42 on 30 Sep 2021: 40 merges of two, 2 upgrades."""
    if Reorganisation.objects.filter(batch="82→42").exists():
        return
    date = D(2021, 9, 30)
    for i, field in enumerate(B_BASE_FIELDS):
        host = units[B_HOSTS[i % 3]]
        pair = []
        for j, (label, kind) in enumerate(
            (
                ("重点实验室", Kind.PROVINCIAL_KEY_LAB),
                ("工程技术研究中心", Kind.PROVINCIAL_ENGINEERING_CENTRE),
            )
        ):
            old, _m = _platform(
                f"GS-BASE-{i + 1:02d}{'ab'[j]}",
                f"甘肃省{field}{label}",
                kind,
                host,
                D(2010 + i % 8, 1 + j, 1),
                disciplines=[field],
                industries=[field],
                **kw,
            )
            pair.append(old)
        new, _m = _platform(
            f"GS-BASE-N{i + 1:02d}",
            f"甘肃省{field}创新基地",
            Kind.PROVINCIAL_KEY_LAB,
            host,
            date,
            disciplines=[field],
            industries=[field],
            mission=f"由两个{field}省级基地整合而成。",
            **kw,
        )
        services.reorganisation_create(
            actor=ACTOR,
            kind="merge",
            date=date,
            sources=pair,
            targets=[new],
            note="省级创新基地优化整合",
            batch="82→42",
        )
    for i, field in enumerate(("寒区旱区环境", "丝路文化遗产保护")):
        host = units[B_HOSTS[i]]
        old, _m = _platform(
            f"GS-BASE-U{i + 1}",
            f"甘肃省{field}研究中心",
            Kind.PROVINCIAL_KEY_LAB,
            host,
            D(2012, 1, 1),
            disciplines=[field],
            **kw,
        )
        new, _m = _platform(
            f"GS-BASE-UN{i + 1}",
            f"甘肃省{field}创新基地",
            Kind.PROVINCIAL_KEY_LAB,
            host,
            date,
            disciplines=[field],
            **kw,
        )
        services.reorganisation_create(
            actor=ACTOR,
            kind="upgrade",
            date=date,
            sources=[old],
            targets=[new],
            note="省级创新基地优化整合",
            batch="82→42",
        )


def _consortia(units, kw) -> None:
    """11 consortia of 23 units each (one lead), 253 distinct units; 74/89/71 achievements in 2021."""
    seq = 2000
    names = iter(f"{c}{t}有限公司（演示）" for t in B_TRADES for c in B_CITIES)
    for i, (field, lead_name) in enumerate(CONSORTIA):
        code = f"GS-CON-{i + 1:02d}"
        if Platform.objects.filter(code=code).exists():
            continue
        if lead_name is None:
            seq += 1
            lead = _unit(f"甘肃{field}集团有限公司（演示）", city="兰州", province=B, seq=seq)
        else:
            lead = units[lead_name]
        p, _m = _platform(
            code,
            f"甘肃省{field}企业创新联合体",
            Kind.CONSORTIUM,
            lead,
            D(2021, 3 + i % 6, 10),
            industries=[field],
            mission=f"由龙头企业牵头、产学研协同的{field}创新联合体。",
            **kw,
        )
        services.membership_add(
            actor=ACTOR, platform=p, unit=lead, joined=p.established, role=Membership.Role.LEAD
        )
        for _k in range(22):
            seq += 1
            member = _unit(next(names), city="兰州", province=B, seq=seq)
            services.membership_add(actor=ACTOR, platform=p, unit=member, joined=p.established)
        sub, lead_t, need = ACHIEVEMENT_SPLIT[i]
        for kind, n in (
            (Achievement.Kind.IMPORT_SUBSTITUTION, sub),
            (Achievement.Kind.LEADING, lead_t),
            (Achievement.Kind.INDUSTRY_NEED, need),
        ):
            for k in range(n):
                services.achievement_create(
                    actor=ACTOR,
                    platform=p,
                    kind=kind,
                    year=2021,
                    title=f"{field}{Achievement.Kind(kind).label}成果{k + 1:02d}（演示）",
                    evidence="演示数据：对应年度总结中联合体成果统计。",
                )


@transaction.atomic
def load(*, stdout=None) -> None:
    units = _units()
    out: list[str] = []
    _province_a(units, out)
    _province_b(_units(), out)
    for line in out:
        say(stdout, gettext_noop("平台：%(line)s"), line=Message(line))
