"""The demo evaluation: the ten provincial labs of province A inaugurated in 2021, evaluated on their
accepted 2022 yearly reports plus expert scores from the review app's demo pool (experts from a lab's
host unit are kept out by review's conflict rules), computed and published. Idempotent by campaign name."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from kechuang.accounts.models import User
from kechuang.core.commands import say
from kechuang.core.exceptions import ApplicationError
from kechuang.platforms.models import Platform
from kechuang.review import services as review
from kechuang.review.selectors import round_assignments

from . import projects, services
from .models import Campaign

NAME = "2022年度省实验室绩效评估（演示）"
PROJECT_NAME = "揭榜挂帅项目验收后绩效评价（演示）"
DRAFT_NAME = "2023年度平台评估（演示草稿）"
# The demo campaigns' English names (shown on English pages; a demo loaded before they existed gets them).
NAMES_EN = {
    NAME: "2022 performance evaluation of the provincial laboratories (demo)",
    PROJECT_NAME: "Post-acceptance performance evaluation of open-challenge projects (demo)",
    DRAFT_NAME: "2023 platform evaluation (demo draft)",
}


def _expert_reviews(campaign: Campaign, staff, stdout, k: int = 3) -> None:
    rnd = services.campaign_review_start(actor=staff, campaign=campaign, k=k, seed=2022)
    review.round_assign(actor=staff, round=rnd)
    review.round_transition(actor=staff, round=rnd, action="start")
    for a in round_assignments(round=rnd).select_related("review"):
        # Deterministic scores between 70 and 94 per (entry, expert).
        score = 70 + (a.subject.object_id * 7 + a.expert_id * 3) % 25
        r = review.review_open(actor=a.expert, review=a.review)
        r = review.review_save(
            actor=a.expert,
            review=r,
            expected_version=r.version,
            scores={"expert": score},
            comments="演示评审意见",
            opinion="建议进一步加强开放共享。",
            recommendation="support",
        )
        review.review_submit(actor=a.expert, review=r)


@transaction.atomic
def load(*, stdout=None) -> None:
    staff = User.objects.filter(username="staff").first()
    labs = list(Platform.objects.filter(code__startswith="SX-PL-").order_by("code"))
    if staff is not None:
        load_projects(staff=staff, stdout=stdout)
        for c in Campaign.objects.filter(name_en="", name__in=NAMES_EN):  # a demo loaded before the names
            services.campaign_translate(actor=staff, campaign=c, name_en=NAMES_EN[c.name])
        for c in Campaign.objects.filter(name=PROJECT_NAME):  # its leaves, named before their indicators were
            services.node_names_from_contracts(actor=staff, campaign=c)
    if staff is None or not labs or Campaign.objects.filter(name=NAME).exists():
        return
    c = services.campaign_create(
        actor=staff,
        name=NAME,
        name_en=NAMES_EN[NAME],
        year=2022,
        is_demo=True,
        description="演示：十个省实验室按 2022 年度报告与专家评价评估。",
    )
    services.tree_add_default(actor=staff, campaign=c)
    services.entries_set(actor=staff, campaign=c, platforms=labs)
    services.campaign_transition(actor=staff, campaign=c, action="open")
    try:
        with transaction.atomic():
            _expert_reviews(c, staff, stdout)
    except (ApplicationError, ImportError) as exc:  # no expert pool: expert indicators stay missing
        if stdout is not None:
            say(
                stdout,
                gettext_noop("绩效评价：专家评审未完成（%(reason)s）"),
                reason=getattr(exc, "message", exc),
            )
    c.refresh_from_db()
    services.campaign_collect(actor=staff, campaign=c)
    services.campaign_compute(actor=staff, campaign=c)
    # Platforms without a yearly report are left out of the published grading, as staff would choose.
    services.campaign_transition(
        actor=staff, campaign=c, action="publish", missing=services.MISSING_LEAVE_OUT
    )
    # A second campaign left in draft, graded by quotas, for trying the pages.
    draft = services.campaign_create(
        actor=staff,
        name=DRAFT_NAME,
        name_en=NAMES_EN[DRAFT_NAME],
        year=2023,
        grading="quotas",
        is_demo=True,
    )
    services.tree_add_default(actor=staff, campaign=draft)
    if stdout is not None:
        say(stdout, gettext_noop("绩效评价：%(name)s 已发布（%(n)s 个省实验室）"), name=NAME, n=len(labs))


def load_projects(*, staff, stdout=None) -> None:
    """The demo project performance evaluation (项目绩效评价): the accepted projects of the demo province,
    evaluated after acceptance on their contracts' target indicators, milestones, results and transfers
    plus expert scores through review (experts of a project's units or team kept out), computed and
    published, so the results show on each project's page and in its unit's and leader's record."""
    contracts = list(projects.eligible_contracts("acceptance").order_by("code"))
    if not contracts or Campaign.objects.filter(name=PROJECT_NAME).exists():
        return
    c = services.campaign_create(
        actor=staff,
        name=PROJECT_NAME,
        name_en=NAMES_EN[PROJECT_NAME],
        year=timezone.localdate().year,
        subject=Campaign.Subject.PROJECT,
        stage=Campaign.Stage.ACCEPTANCE,
        is_demo=True,
        description="演示：已验收的揭榜挂帅项目按任务书考核指标、里程碑、成果转化与专家评价进行绩效评价。",
    )
    services.tree_add_default(actor=staff, campaign=c)
    services.contracts_set(actor=staff, campaign=c, contracts=contracts)
    services.campaign_transition(actor=staff, campaign=c, action="open")
    try:
        with transaction.atomic():
            _expert_reviews(c, staff, stdout)
    except (ApplicationError, ImportError) as exc:
        if stdout is not None:
            say(
                stdout,
                gettext_noop("绩效评价：项目绩效评价专家评审未完成（%(reason)s）"),
                reason=getattr(exc, "message", exc),
            )
    c.refresh_from_db()
    services.campaign_collect(actor=staff, campaign=c)
    services.campaign_compute(actor=staff, campaign=c)
    services.campaign_transition(actor=staff, campaign=c, action="publish", missing=services.MISSING_GRADE)
    if stdout is not None:
        say(
            stdout,
            gettext_noop("绩效评价：%(name)s 已发布（%(n)s 个项目）"),
            name=PROJECT_NAME,
            n=len(contracts),
        )
