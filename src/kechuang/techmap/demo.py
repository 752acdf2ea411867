"""The demo province's technology map, from the facts of DOMAIN.md (two provincial reports).

Idempotent: chains, links and technologies are matched by name, TRL records by (kind, date), coverage by
target and start date. Coverage to platforms and challenges is added only when those apps' demo objects
exist (found by a keyword in their name or title); a missing app or object is skipped and reported.
Some bottlenecks are left uncovered on purpose so the gap report shows something.
"""

import datetime
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import FieldError, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_noop

from kechuang.accounts.models import User
from kechuang.core.commands import say
from kechuang.core.exceptions import ApplicationError

from . import services
from .models import Chain, ChainLink, Coverage, Technology, TrlRecord

D = datetime.date
BASE = D(2021, 1, 1)  # first year of the 14th Five-Year Plan
TARGET = D(2025, 12, 31)

# chain, published, order, description, internal note
CHAINS = [
    ("新能源", True, 10, "新能源电池材料、光伏装备与氢能装备。", ""),
    ("新材料", True, 20, "第三代半导体材料、碳基新材料、高性能纤维与合金。", ""),
    ("装备制造", True, 30, "高端数控机床与高速磁浮交通装备。", ""),
    ("核技术", True, 40, "同位素分离提取与重离子治疗装备。", "重离子治疗装置订单 7 台，需跟踪交付。"),
    ("集成电路封装", False, 50, "封装材料与框架。", "封装材料摸底尚未完成，暂不公开。"),
    ("生物医药", True, 60, "重组胶原蛋白与动物疫苗。", ""),
    ("种质资源", True, 70, "杂粮种质资源与分子育种。", ""),
    ("石油化工", True, 80, "煤层气开发与煤化工。", ""),
]

# The chains' descriptions on English pages (staff's own English, `Chain.description_en`)
DESCRIPTIONS_EN = {
    "新能源": "Battery materials for new energy, photovoltaic equipment and hydrogen equipment.",
    "新材料": "Third-generation semiconductor materials, carbon-based materials, high-performance fibres and alloys.",
    "装备制造": "High-end CNC machine tools and high-speed maglev transport equipment.",
    "核技术": "Isotope separation and extraction, and heavy-ion therapy equipment.",
    "集成电路封装": "Packaging materials and lead frames.",
    "生物医药": "Recombinant collagen and animal vaccines.",
    "种质资源": "Minor-cereal germplasm resources and molecular breeding.",
    "石油化工": "Coalbed methane development and coal chemicals.",
}

# chain, stage, link, order
LINKS = [
    ("新能源", "upstream", "电池材料", 10),
    ("新能源", "midstream", "光伏电池装备", 20),
    ("新能源", "downstream", "氢能交通装备", 30),
    ("新材料", "upstream", "第三代半导体衬底", 10),
    ("新材料", "midstream", "碳基与高分子材料", 20),
    ("新材料", "midstream", "高温合金", 30),
    ("装备制造", "midstream", "高端数控机床", 10),
    ("装备制造", "downstream", "磁浮交通", 20),
    ("核技术", "upstream", "同位素分离提取", 10),
    ("核技术", "downstream", "核医疗装备", 20),
    ("集成电路封装", "upstream", "封装材料", 10),
    ("集成电路封装", "midstream", "框架与基板", 20),
    ("生物医药", "midstream", "生物材料", 10),
    ("生物医药", "downstream", "疫苗", 20),
    ("种质资源", "upstream", "杂粮种质", 10),
    ("石油化工", "upstream", "非常规天然气开采", 10),
]

# link, name, bottleneck, substitution, level, local supply %, TRL history [(kind, value, date)], description
TECHNOLOGIES = [
    (
        "电池材料",
        "新能源电池正极材料",
        False,
        "achieved",
        "domestic_leading",
        Decimal("77.0"),
        [("baseline", 7, BASE), ("current", 8, D(2024, 12, 31)), ("target", 9, TARGET)],
        "本地配套率达 77%。",
    ),
    (
        "光伏电池装备",
        "异质结电池磁控溅射装备",
        True,
        "in_progress",
        "following",
        None,
        [
            ("baseline", 4, BASE),
            ("current", 5, D(2023, 6, 30)),
            ("current", 6, D(2025, 3, 31)),
            ("target", 8, TARGET),
        ],
        "碳达峰碳中和赛道：异质结（HJT）电池透明导电膜磁控溅射装备。",
    ),
    (
        "氢能交通装备",
        "氢燃料电池混合动力机车",
        False,
        "na",
        "domestic_leading",
        None,
        [("baseline", 6, BASE), ("current", 7, D(2021, 1, 27)), ("target", 9, TARGET)],
        "2020 年揭榜项目阶段成果，2021 年 1 月 27 日下线。",
    ),
    (
        "第三代半导体衬底",
        "碳化硅单晶衬底及生长工艺",
        True,
        "needed",
        "following",
        None,
        [("baseline", 5, BASE), ("current", 6, D(2024, 6, 30)), ("target", 8, TARGET)],
        "成熟技术产业化赛道：SiC 单晶衬底与长晶工艺。",
    ),
    (
        "碳基与高分子材料",
        "高通量石墨烯散热膜",
        True,
        "needed",
        "following",
        None,
        [("baseline", 3, BASE), ("current", 4, D(2024, 12, 31)), ("target", 7, TARGET)],
        "前沿技术赛道。",
    ),
    (
        "碳基与高分子材料",
        "超高分子量聚乙烯",
        True,
        "in_progress",
        "domestic_leading",
        None,
        [("baseline", 6, BASE), ("current", 7, D(2024, 12, 31)), ("target", 8, TARGET)],
        "进口替代攻关。",
    ),
    (
        "碳基与高分子材料",
        "煤基石墨烯复合材料",
        False,
        "na",
        "domestic_leading",
        None,
        [("baseline", 5, BASE), ("current", 6, D(2023, 12, 31)), ("target", 8, TARGET)],
        "揭榜挂帅成果之一。",
    ),
    (
        "高温合金",
        "镍钴合金",
        False,
        "achieved",
        "domestic_leading",
        None,
        [("baseline", 7, BASE), ("current", 8, D(2024, 12, 31)), ("target", 9, TARGET)],
        "",
    ),
    (
        "高端数控机床",
        "五轴联动数控机床",
        True,
        "needed",
        "following",
        None,
        [("baseline", 5, BASE), ("current", 6, D(2024, 12, 31)), ("target", 8, TARGET)],
        "航空航天、船舶零部件加工的卡脖子装备。",
    ),
    (
        "磁浮交通",
        "低真空管道高速磁浮（高速飞车）",
        False,
        "na",
        "international_leading",
        None,
        [("baseline", 3, BASE), ("current", 4, D(2021, 5, 24)), ("target", 6, TARGET)],
        "中试放大赛道；2021 年 5 月 24 日大同试验线启用。",
    ),
    (
        "同位素分离提取",
        "从乏燃料后处理废液中提取氪-85",
        True,
        "needed",
        "following",
        None,
        [("baseline", 3, BASE), ("current", 4, D(2024, 12, 31)), ("target", 7, TARGET)],
        "",
    ),
    (
        "同位素分离提取",
        "锶-90 萃取剂",
        True,
        "needed",
        "following",
        None,
        [("baseline", 4, BASE), ("current", 5, D(2024, 12, 31)), ("target", 7, TARGET)],
        "",
    ),
    (
        "核医疗装备",
        "重离子治疗装置",
        False,
        "achieved",
        "international_leading",
        None,
        [("baseline", 8, BASE), ("current", 9, D(2024, 12, 31)), ("target", 9, TARGET)],
        "已签订 7 台订单。",
    ),
    (
        "封装材料",
        "芯片封装导电胶",
        True,
        "needed",
        "following",
        None,
        [("baseline", 4, BASE), ("current", 5, D(2024, 12, 31)), ("target", 7, TARGET)],
        "",
    ),
    (
        "封装材料",
        "环氧塑封料",
        True,
        "needed",
        "following",
        None,
        [("baseline", 5, BASE), ("current", 6, D(2024, 12, 31)), ("target", 8, TARGET)],
        "",
    ),
    (
        "框架与基板",
        "引线框架",
        False,
        "in_progress",
        "following",
        None,
        [("baseline", 6, BASE), ("current", 7, D(2024, 12, 31)), ("target", 8, TARGET)],
        "",
    ),
    (
        "生物材料",
        "规模化制备重组人源胶原蛋白",
        False,
        "achieved",
        "international_leading",
        None,
        [("baseline", 7, BASE), ("current", 8, D(2024, 12, 31)), ("target", 9, TARGET)],
        "成熟技术产业化赛道。",
    ),
    (
        "疫苗",
        "动物疫苗",
        False,
        "na",
        "domestic_leading",
        None,
        [("baseline", 7, BASE), ("current", 8, D(2024, 12, 31)), ("target", 9, TARGET)],
        "",
    ),
    (
        "杂粮种质",
        "杂粮种质资源创制与分子育种",
        False,
        "na",
        "domestic_leading",
        None,
        [("baseline", 4, BASE), ("current", 5, D(2024, 12, 31)), ("target", 7, TARGET)],
        "",
    ),
    (
        "非常规天然气开采",
        "低渗煤层气水平井分段压裂",
        True,
        "in_progress",
        "domestic_leading",
        None,
        [("baseline", 5, BASE), ("current", 7, D(2024, 12, 31)), ("target", 8, TARGET)],
        "揭榜挂帅成果之一。",
    ),
]

# The English names of the chains, links and technologies above (shown on English pages).
ENGLISH = {
    "新能源": "New energy",
    "新材料": "New materials",
    "装备制造": "Equipment manufacturing",
    "核技术": "Nuclear technology",
    "集成电路封装": "IC packaging",
    "生物医药": "Biomedicine",
    "种质资源": "Germplasm resources",
    "石油化工": "Petrochemicals",
    "电池材料": "Battery materials",
    "光伏电池装备": "PV cell equipment",
    "氢能交通装备": "Hydrogen transport equipment",
    "第三代半导体衬底": "Third-generation semiconductor substrates",
    "碳基与高分子材料": "Carbon-based and polymer materials",
    "高温合金": "Superalloys",
    "高端数控机床": "High-end CNC machine tools",
    "磁浮交通": "Maglev transport",
    "同位素分离提取": "Isotope separation and extraction",
    "核医疗装备": "Nuclear medical equipment",
    "封装材料": "Packaging materials",
    "框架与基板": "Lead frames and substrates",
    "生物材料": "Biomaterials",
    "疫苗": "Vaccines",
    "杂粮种质": "Minor-grain germplasm",
    "非常规天然气开采": "Unconventional gas extraction",
    "新能源电池正极材料": "Cathode materials for new-energy batteries",
    "异质结电池磁控溅射装备": "Magnetron sputtering equipment for heterojunction cells",
    "氢燃料电池混合动力机车": "Hydrogen fuel-cell hybrid locomotive",
    "碳化硅单晶衬底及生长工艺": "Silicon carbide single-crystal substrates and growth process",
    "高通量石墨烯散热膜": "High-throughput graphene heat-dissipation film",
    "超高分子量聚乙烯": "Ultra-high-molecular-weight polyethylene",
    "煤基石墨烯复合材料": "Coal-based graphene composites",
    "镍钴合金": "Nickel-cobalt alloys",
    "五轴联动数控机床": "Five-axis CNC machine tools",
    "低真空管道高速磁浮（高速飞车）": "Low-vacuum tube high-speed maglev (hyperloop)",
    "从乏燃料后处理废液中提取氪-85": "Krypton-85 extraction from spent-fuel reprocessing waste",
    "锶-90 萃取剂": "Strontium-90 extractant",
    "重离子治疗装置": "Heavy-ion therapy system",
    "芯片封装导电胶": "Conductive adhesive for chip packaging",
    "环氧塑封料": "Epoxy moulding compound",
    "引线框架": "Lead frames",
    "规模化制备重组人源胶原蛋白": "Large-scale production of recombinant human collagen",
    "动物疫苗": "Animal vaccines",
    "杂粮种质资源创制与分子育种": "Minor-grain germplasm creation and molecular breeding",
    "低渗煤层气水平井分段压裂": "Staged fracturing of horizontal wells in low-permeability coalbed methane",
}

# technology, coverage kind, model label, keywords (the first object whose name/title contains one)
COVERAGE = [
    ("碳化硅单晶衬底及生长工艺", "topic", "challenges.topic", ["碳化硅"]),
    ("碳化硅单晶衬底及生长工艺", "challenge", "challenges.challenge", ["碳化硅"]),
    ("碳化硅单晶衬底及生长工艺", "project", "challenges.contract", ["碳化硅"]),
    ("规模化制备重组人源胶原蛋白", "topic", "challenges.topic", ["胶原蛋白"]),
    ("规模化制备重组人源胶原蛋白", "challenge", "challenges.challenge", ["胶原蛋白"]),
    ("低真空管道高速磁浮（高速飞车）", "topic", "challenges.topic", ["管道磁悬浮", "管道磁浮"]),
    ("低真空管道高速磁浮（高速飞车）", "challenge", "challenges.challenge", ["管道高速磁浮", "管道磁浮"]),
    ("低真空管道高速磁浮（高速飞车）", "platform", "platforms.platform", ["高速飞车省实验室"]),
    ("低真空管道高速磁浮（高速飞车）", "consortium", "platforms.platform", ["高速飞车产业技术创新联盟"]),
    ("高通量石墨烯散热膜", "topic", "challenges.topic", ["石墨烯散热膜"]),
    ("高通量石墨烯散热膜", "project", "challenges.contract", ["石墨烯"]),
    ("异质结电池磁控溅射装备", "topic", "challenges.topic", ["异质结"]),
    ("异质结电池磁控溅射装备", "project", "challenges.contract", ["异质结", "HJT"]),
    ("氢燃料电池混合动力机车", "project", "challenges.contract", ["氢燃料电池"]),
    ("氢燃料电池混合动力机车", "consortium", "platforms.platform", ["氢能产业企业创新联合体"]),
    ("重离子治疗装置", "platform", "platforms.platform", ["重离子治疗装置国家工程研究中心"]),
    ("重离子治疗装置", "consortium", "platforms.platform", ["重离子医疗装备企业创新联合体"]),
    ("新能源电池正极材料", "consortium", "platforms.platform", ["新能源电池材料企业创新联合体"]),
    ("镍钴合金", "consortium", "platforms.platform", ["镍钴新材料企业创新联合体"]),
    ("五轴联动数控机床", "consortium", "platforms.platform", ["高档数控机床企业创新联合体"]),
    ("杂粮种质资源创制与分子育种", "consortium", "platforms.platform", ["现代种业企业创新联合体"]),
    ("低渗煤层气水平井分段压裂", "consortium", "platforms.platform", ["低渗煤层气开发企业创新联合体"]),
]

# Where each target model keeps the words the keywords are matched against.
LOOKUPS = {
    "challenges.topic": ["title"],
    "challenges.challenge": ["title", "topic__title"],
    "challenges.contract": ["challenge__title", "challenge__topic__title"],
    "platforms.platform": ["name", "short_name"],
}


def _find(label: str, keywords: list[str]):
    try:
        model = apps.get_model(label)
    except LookupError:
        return None
    paths = []
    for path in LOOKUPS.get(label, ["name", "title"]):
        try:
            model._default_manager.filter(**{f"{path}__icontains": ""})
        except FieldError:  # this model has no such field (yet)
            continue
        paths.append(path)
    if not paths:
        return None
    for word in keywords:
        cond = Q()
        for path in paths:
            cond |= Q(**{f"{path}__icontains": word})
        obj = model._default_manager.filter(cond).order_by("pk").first()
        if obj is not None:
            return obj
    return None


def _since(target) -> datetime.date:
    # A project covers its technology from its start date, a platform from its founding; other links
    # from the demo campaign's start.
    for attr in ("start_date", "established"):
        start = getattr(target, attr, None)
        if isinstance(start, datetime.date):
            return start
    return D(2021, 6, 1)


@transaction.atomic
def load(*, stdout=None) -> None:
    actor = User.objects.get(username="staff")
    chains = {c.name: c for c in Chain.objects.all()}
    for name, published, order, description, note in CHAINS:
        if name not in chains:
            chains[name] = services.chain_create(
                actor=actor,
                name=name,
                name_en=ENGLISH.get(name, ""),
                description=description,
                description_en=DESCRIPTIONS_EN.get(name, ""),
                internal_note=note,
                published=published,
                order=order,
            )
        elif not chains[name].name_en and ENGLISH.get(name):  # a map loaded before the English names
            chains[name] = services.chain_update(actor=actor, chain=chains[name], name_en=ENGLISH[name])
        if not chains[name].description_en and DESCRIPTIONS_EN.get(name):  # loaded before the descriptions
            chains[name] = services.chain_update(
                actor=actor, chain=chains[name], description_en=DESCRIPTIONS_EN[name]
            )
    links = {(lk.chain.name, lk.name): lk for lk in ChainLink.objects.select_related("chain")}
    link_by_name = {}
    for chain, stage, name, order in LINKS:
        key = (chain, name)
        if key not in links:
            links[key] = services.link_create(
                actor=actor,
                chain=chains[chain],
                stage=stage,
                name=name,
                name_en=ENGLISH.get(name, ""),
                order=order,
            )
        elif not links[key].name_en and ENGLISH.get(name):
            links[key] = services.link_update(actor=actor, link=links[key], name_en=ENGLISH[name])
        link_by_name[name] = links[key]
    techs = {}
    for link_name, name, bottleneck, subst, level, supply, trl, description in TECHNOLOGIES:
        link = link_by_name[link_name]
        tech = Technology.objects.filter(link=link, name=name).first()
        if tech is None:
            tech = services.technology_create(
                actor=actor,
                link=link,
                name=name,
                name_en=ENGLISH.get(name, ""),
                description=description,
                is_bottleneck=bottleneck,
                substitution=subst,
                level=level,
                local_supply_pct=supply,
            )
        elif not tech.name_en and ENGLISH.get(name):
            tech = services.technology_update(actor=actor, technology=tech, name_en=ENGLISH[name])
        for kind, value, day in trl:
            if not TrlRecord.objects.filter(technology=tech, kind=kind, as_of=day).exists():
                services.trl_record(
                    actor=actor, technology=tech, kind=kind, value=value, as_of=day, note="演示数据"
                )
        techs[name] = tech
    linked, skipped = 0, []
    for tech_name, kind, label, keywords in COVERAGE:
        target = _find(label, keywords)
        if target is None:
            skipped.append(f"{tech_name} ← {label}")
            continue
        from django.contrib.contenttypes.models import ContentType

        ct = ContentType.objects.get_for_model(type(target))
        if Coverage.objects.filter(
            technology=techs[tech_name], content_type=ct, object_id=target.pk
        ).exists():
            continue
        try:
            services.coverage_create(
                actor=actor, technology=techs[tech_name], kind=kind, target=target, since=_since(target)
            )
            linked += 1
        except (ApplicationError, ValidationError) as exc:  # a refused demo link is reported, not fatal
            skipped.append(f"{tech_name} ← {target}: {exc}")
    say(
        stdout,
        gettext_noop(
            "攻坚图谱：%(chains)s 条产业链，%(techs)s 项技术，新增 %(linked)s 个覆盖关联，%(skipped)s 个跳过（没有该演示对象）"
        ),
        chains=len(chains),
        techs=Technology.objects.count(),
        linked=linked,
        skipped=len(skipped),
    )
