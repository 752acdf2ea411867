"""The demo expert pool, scoring forms and review rounds. Idempotent: matched by username and title.

Facts come from DOMAIN.md: the key-technology topics of the open-challenge campaign (SiC substrates,
human collagen, low-vacuum maglev, ion-trap quantum computing and CV-QKD, graphene heat-dissipation
film, heterojunction-cell sputtering, urban energy internet, deep enhanced geothermal).
"""

import datetime

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from kechuang.accounts.demo import DEMO_PASSWORD
from kechuang.accounts.models import Unit, User
from kechuang.accounts.services import user_create
from kechuang.core.commands import say
from kechuang.core.roles import DEMO, Role

# Topic: (keywords, discipline codes, publications text)
TOPICS = {
    "sic": (
        ["碳化硅", "单晶衬底", "宽禁带半导体", "晶体生长"],
        ["430.25", "510.10"],
        "碳化硅单晶衬底生长与缺陷控制；功率半导体器件。",
    ),
    "collagen": (
        ["胶原蛋白", "重组蛋白", "生物材料", "发酵工艺"],
        ["180.14", "430.60"],
        "重组人源胶原蛋白的表达、发酵与纯化。",
    ),
    "maglev": (
        ["磁悬浮", "低真空管道", "直线电机", "高速飞车"],
        ["580.20", "470.30"],
        "低真空管道高速磁悬浮交通系统与直线电机牵引。",
    ),
    "quantum": (
        ["量子密钥分发", "连续变量", "离子阱", "量子计算"],
        ["140.30", "510.50"],
        "连续变量量子密钥分发与离子阱量子计算。",
    ),
    "graphene": (
        ["石墨烯", "导热膜", "散热", "煤基碳材料"],
        ["430.30", "150.45"],
        "高通量石墨烯散热膜与煤基石墨烯复合材料。",
    ),
    "hjt": (
        ["异质结电池", "磁控溅射", "光伏", "透明导电膜"],
        ["480.50", "430.25"],
        "异质结太阳电池磁控溅射装备与透明导电薄膜。",
    ),
    "energy": (
        ["能源互联网", "微电网", "调度控制", "综合能源"],
        ["470.40", "480.20"],
        "城市能源互联网管控与多能互补调度。",
    ),
    "geothermal": (
        ["增强型地热", "深层地热", "水力压裂", "储层改造"],
        ["170.50", "480.60"],
        "深部增强型地热系统储层改造与水力压裂。",
    ),
}

# username → topic, title, past unit (name, start, end), collaborator names
EXPERTS = {
    "expert1": ("quantum", "教授", ("中国科学院近代物理研究所", 2012, 2016), ["郑总工"]),
    "expert2": ("quantum", "研究员", None, []),
    "expert3": ("geothermal", "教授", ("太原理工大学", 2015, 2022), []),
    "expert4": ("graphene", "教授", None, ["冯博士"]),
    "expert5": ("hjt", "研究员", None, []),
    "expert6": ("energy", "教授", None, []),
    "expert7": ("maglev", "教授", ("大同高速飞车科技有限公司", 2019, 2023), []),
    "expert8": ("collagen", "高级工程师", None, []),
}

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏"
GIVEN = ["建国", "志强", "晓燕", "海涛", "丽华", "文博", "振宇", "雪梅", "国栋", "思远"]
EXTRA_UNITS = [
    "山西大学",
    "太原理工大学",
    "中北大学",
    "兰州大学",
    "中国科学院兰州化学物理研究所",
    "中国科学院近代物理研究所",
]

FORM_NAME = "揭榜挂帅申报评审表"
FORM_NAME_EN = "Challenge application review form"
CRITERIA = [
    {
        "code": "tech",
        "name": "技术先进性",
        "name_en": "Technical advancement",
        "weight": 0.3,
        "max_score": 100,
        "anchors": "90以上：国际领先；75-89：国内领先；60-74：国内先进；60以下：一般",
    },
    {
        "code": "plan",
        "name": "方案可行性",
        "name_en": "Feasibility of the plan",
        "weight": 0.3,
        "max_score": 100,
        "anchors": "技术路线清晰、里程碑可考核为高分",
    },
    {
        "code": "team",
        "name": "团队能力",
        "name_en": "Team capability",
        "weight": 0.2,
        "max_score": 100,
        "anchors": "挂帅人及团队的相关成果与工程经验",
    },
    {
        "code": "benefit",
        "name": "预期效益",
        "name_en": "Expected benefits",
        "weight": 0.2,
        "max_score": 100,
        "anchors": "产业化前景、进口替代与带动作用",
    },
]

# Proposals for the demo round over review's own ExternalSubject (title, topic, unit, leader, members)
PROPOSALS = [
    ("8英寸碳化硅单晶衬底及生长工艺产业化", "sic", "山西碳化硅材料有限公司", "冯博士", ["李明"]),
    ("大规模重组人源胶原蛋白制备", "collagen", "山西锦波生物医药股份有限公司", "杨帆", ["周静"]),
    ("低真空管道高速磁悬浮试验线关键技术", "maglev", "大同高速飞车科技有限公司", "郑总工", ["王伟"]),
    ("高速连续变量量子密钥分发系统", "quantum", "山西量子通信技术有限公司", "刘洋", ["陈晨"]),
    ("高通量石墨烯散热膜连续制备", "graphene", "山西石墨烯新材料有限公司", "赵磊", []),
    ("异质结电池磁控溅射装备国产化", "hjt", "山西异质结光伏装备有限公司", "钱坤", ["孙悦"]),
    ("城市能源互联网管控平台", "energy", "中北大学", "何平", []),
    ("深部增强型地热系统储层改造", "geothermal", "太原理工大学", "韩冰", ["吴昊"]),
]
ROUND_TITLE = "2026年揭榜挂帅项目专家评审（演示）"
ROUND_TITLE_EN = "2026 expert review of challenge projects (demo)"


def _actor():
    return User.objects.filter(username="staff").first() or DEMO


def _unit(name):
    return Unit.objects.filter(name=name).first()


def _profile(user, topic, title, past, collaborators, actor, stdout):
    from . import services
    from .models import ExpertProfile

    keywords, codes, pubs = TOPICS[topic]
    profile = ExpertProfile.objects.filter(user=user).first()
    if profile is not None:
        return profile
    profile = services.expert_profile_create(
        actor=actor,
        user=user,
        title=title,
        keywords=keywords,
        disciplines=codes,
        publications=pubs,
        city=user.unit.city if user.unit else "",
        yearly_cap=30,
    )
    if user.unit:
        services.expert_unit_add(
            actor=actor,
            profile=profile,
            unit=user.unit,
            unit_name=user.unit.name,
            start=datetime.date(2016, 9, 1),
        )
    if past:
        name, start, end = past
        services.expert_unit_add(
            actor=actor,
            profile=profile,
            unit=_unit(name),
            unit_name=name,
            start=datetime.date(start, 1, 1),
            end=datetime.date(end, 12, 31),
        )
    for c in collaborators:
        services.collaborator_add(actor=actor, profile=profile, name=c)
    services.expert_profile_transition(actor=actor, profile=profile, action="approve", reason="演示数据")
    return profile


# A 省重点研发计划 call whose 函评 is finished (#18): two applicants invited at the 预申报, their formal applications, reviewed by three experts each
# on the stage's review form, ranked; the call stands at its 答辩.
PROGRAMME_CALL = "2026 年度省重点研发计划"
PROGRAMME_CALL_EN = "Provincial Key R&D Programme 2026"
PROGRAMME_PROJECTS = [
    ("applicant", "低真空管道磁悬浮直线电机牵引系统研制"),
    ("applicant2", "8 英寸碳化硅单晶衬底生长与缺陷控制"),
]


def _programme_call(actor, stdout) -> None:
    from kechuang.programmes import demo as programmes_demo
    from kechuang.programmes import services as programmes
    from kechuang.programmes.models import (
        Call,
        FormalCheck,
        FormVersion,
        InvitationDecision,
        ProgrammeType,
        Submission,
    )

    from . import services

    existing = Call.objects.filter(title=PROGRAMME_CALL).first()
    if existing is not None:
        if not existing.title_en:  # a demo loaded before the call had an English name
            programmes.call_translate(actor=actor, call=existing, title_en=PROGRAMME_CALL_EN)
        return
    users = [User.objects.filter(username=u).first() for u, _t in PROGRAMME_PROJECTS]
    if not all(users):
        return
    programmes_demo.types()  # the programme types (idempotent; the programmes step opens its own 2027 call)
    version = (
        ProgrammeType.objects.get(name="省重点研发计划")
        .versions.filter(status="published")
        .order_by("-number")
        .first()
    )
    call = programmes.call_open(
        actor=actor, version=version, title=PROGRAMME_CALL, title_en=PROGRAMME_CALL_EN, year=2026
    )
    while call.stage["kind"] != "pre_application":
        call = programmes.call_advance(actor=actor, call=call)
    # The 预申报 and its shortlist: both applicants pre-applied and were invited to the formal application
    # (stored directly, as the formal applications below).
    pre_form = FormVersion.objects.get(pk=call.stage["form"])
    for user, (_u, title) in zip(users, PROGRAMME_PROJECTS, strict=True):
        pre = Submission.objects.create(
            version=pre_form,
            call=call,
            stage_key=call.stage_key,
            submitted_by=user,
            data={"f1": title, "f2": "企业", "f3": "300", "f4": "研究内容摘要（预申报）。"},
        )
        InvitationDecision.objects.create(
            call=call,
            stage_key=call.stage_key,
            applicant=user,
            submission=pre,
            status="invited",
            reason="符合指南方向，邀请正式申报。",
            decided_by=actor,
            decided_at=timezone.now(),
        )
    while call.stage["kind"] != "application":
        call = programmes.call_advance(actor=actor, call=call)
    form = FormVersion.objects.get(pk=call.stage["form"])
    # The formal applications are stored directly: the demo has no feasibility reports to attach.
    subs = [
        Submission.objects.create(
            version=form,
            call=call,
            stage_key=call.stage_key,
            submitted_by=user,
            data={"f1": title, "f4": "36"},
        )
        for user, (_u, title) in zip(users, PROGRAMME_PROJECTS)
    ]
    call = programmes.call_advance(actor=actor, call=call)  # 形式审查
    # Their outcomes likewise (the checklist would ask for the reports they lack): both passed.
    for sub in subs:
        FormalCheck.objects.create(
            call=call,
            stage_key=call.stage_key,
            applicant=sub.submitted_by,
            submission=sub,
            status="passed",
            reason="材料齐全，符合申报条件。",
            checked_by=actor,
            checked_at=timezone.now(),
        )
    while call.stage["kind"] != "letter_review":
        call = programmes.call_advance(actor=actor, call=call)
    rnd = services.call_review_open(actor=actor, call=call, k=3, max_load=2)
    for n, a in enumerate(
        rnd.assignments.filter(status="active").select_related("review", "expert").order_by("pk")
    ):
        review = services.review_open(actor=a.expert, review=a.review)
        bonus = 4 if a.subject.order == 1 else 0
        review = services.review_save(
            actor=a.expert,
            review=review,
            expected_version=review.version,
            scores={"f1": 20 + bonus + n % 4, "f2": 22 + n % 3, "f3": 15 + n % 2, "f4": 14 + bonus // 2},
            values={"f5": "研究目标明确，技术路线可行，考核指标可量化。"},  # the form's 评审意见
            comments="研究目标明确，技术路线可行，考核指标可量化。",
            opinion="建议细化中试验证方案。",
            recommendation="support",
        )
        services.review_submit(actor=a.expert, review=review)
    call = programmes.call_advance(actor=actor, call=call)
    say(
        stdout,
        gettext_noop("评审：%(call)s 函评已完成，现处于%(stage)s"),
        call=PROGRAMME_CALL,
        stage=call.stage["name"],
    )


@transaction.atomic
def load(*, stdout=None) -> None:

    from . import services
    from .models import ExternalSubject, ReviewForm, Round

    actor = _actor()
    for username, (topic, title, past, collabs) in EXPERTS.items():
        user = User.objects.filter(username=username).first()
        if user is not None:
            _profile(user, topic, title, past, collabs, actor, stdout)
    topic_names = list(TOPICS)
    for i in range(30):
        username = f"demo_expert{i + 1:02d}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                actor=actor,
                username=username,
                password=DEMO_PASSWORD,
                roles=[Role.EXPERT],
                unit=_unit(EXTRA_UNITS[i % len(EXTRA_UNITS)]),
                full_name=SURNAMES[i] + GIVEN[i % len(GIVEN)],
                email=f"{username}@example.org",
            )
        _profile(
            user, topic_names[i % len(topic_names)], "研究员" if i % 3 else "教授", None, [], actor, stdout
        )

    form = ReviewForm.objects.filter(name=FORM_NAME).first()
    if form is None:
        form = services.form_create(
            actor=actor,
            name=FORM_NAME,
            name_en=FORM_NAME_EN,
            criteria=CRITERIA,
            description="揭榜挂帅项目申报专家评审",
        )
    if form is None:
        if stdout:
            say(stdout, gettext_noop("评审：没有工作人员账号，已跳过评审表和评审轮次"))
        return

    # A round over the challenges app's applications, when that app provides them.
    try:
        application = apps.get_model("challenges", "Application")
    except LookupError:
        application = None
    if application is not None and hasattr(application, "review_subject"):
        title = "揭榜方案专家评审（演示）"
        # Only applications past the formal check are reviewed (drafts and withdrawn ones never are).
        subjects = list(
            application.objects.filter(status__in=["formal_passed", "under_review"]).order_by("pk")[:50]
        )
        if subjects and not Round.objects.filter(title=title).exists():
            rnd = services.round_create(
                actor=actor,
                title=title,
                title_en="Expert review of challenge proposals (demo)",
                subjects=subjects,
                form=form,
                k=3,
                max_load=4,
            )
            try:
                services.round_assign(actor=actor, round=rnd)
            except Exception as exc:  # the demo keeps going; the round stays in draft with the reason printed
                say(stdout, gettext_noop("评审：%(title)s 未能分配（%(reason)s）"), title=title, reason=exc)
            say(stdout, gettext_noop("评审：一个评审轮次，%(n)s 个评审对象"), n=len(subjects))
    else:
        say(stdout, gettext_noop("评审：没有揭榜挂帅申请，演示轮次用评审模块自己的申报书"))

    _programme_call(actor, stdout)

    # A round over review's own proposals: assigned, reviewing, with some reviews in.
    if Round.objects.filter(title=ROUND_TITLE).exists():
        return
    subjects = []
    for title, topic, unit_name, leader, members in PROPOSALS:
        obj = ExternalSubject.objects.filter(title=title).first()
        if obj is None:
            keywords, codes, pubs = TOPICS[topic]
            obj = services.external_subject_create(
                actor=actor,
                title=title,
                text=pubs + "面向产业化的关键技术攻关与中试验证。",
                keywords=keywords[:3],
                disciplines=codes[:1],
                unit=_unit(unit_name),
                leader_name=leader,
                members=members,
            )
        subjects.append(obj)
    rnd = services.round_create(
        actor=actor,
        title=ROUND_TITLE,
        title_en=ROUND_TITLE_EN,
        subjects=subjects,
        form=form,
        k=3,
        max_load=3,
        due=datetime.date(2026, 12, 31),
    )
    rnd = services.round_assign(actor=actor, round=rnd)
    services.round_transition(actor=actor, round=rnd, action="start")
    # The first two proposals' experts submit, with a deterministic harsh/generous spread.
    for n, a in enumerate(
        rnd.assignments.filter(subject__order__lt=2).select_related("review", "expert").order_by("pk")
    ):
        review = services.review_open(actor=a.expert, review=a.review)
        base = 62 + (n * 7) % 25
        review = services.review_save(
            actor=a.expert,
            review=review,
            expected_version=review.version,
            scores={"tech": base + 5, "plan": base, "team": base - 4, "benefit": base + 2},
            comments="技术路线清晰，里程碑可考核。",
            opinion="建议补充中试放大方案。",
            recommendation="support",
        )
        services.review_submit(actor=a.expert, review=review)
    if stdout:
        say(
            stdout,
            gettext_noop("评审：专家库 %(n)s 位专家，轮次“%(title)s”已分配"),
            n=rnd.experts.count(),
            title=rnd.title,
        )
