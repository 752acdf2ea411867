"""The challenge lists as Excel (the 导出 Excel button of each list; core.exports): needs, topics,
applications, projects, results with their transfers. Each takes the list page's own queryset, so the file has
the page's filters and visibility."""

from django.db.models import Prefetch
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.dates import date_text
from kechuang.core.exports import col, export_response, label, money
from kechuang.core.language import english
from kechuang.core.lists import listed
from kechuang.programmes import fieldkinds
from kechuang.programmes.models import FormVersion

from . import permissions, programme
from .models import Acceptance, ApplicationPartner, MidtermCheck, Milestone, PerformanceEvaluation


def _team(contract) -> str:
    return gettext("；").join(
        gettext("，").join(str(m.get(k, "")) for k in ("name", "title", "duty") if m.get(k))
        for m in contract.team or []
    )


NEED_COLUMNS = [
    col(_("需求名称"), "title", 30),
    col(_("提出单位"), "unit", 24),
    col(_("所属产业"), lambda r: r.industry_label),
    col(_("紧迫程度"), label("urgency"), 10),
    col(_("配套经费"), money("cofund_budget")),
    col(_("技术难题描述"), "problem", 40),
    col(_("期望技术指标"), "indicators_wanted", 30),
    col(_("课题"), lambda n: n.topic.title if n.topic_id else _("未归类"), 24),
    col(_("提交时间"), "created_at"),
]

TOPIC_COLUMNS = [
    col(_("课题名称"), "title", 30),
    col(_("所属产业"), lambda r: r.industry_label),
    col(_("赛道"), lambda t: t.get_track_display() if t.track else "", 14),
    col(_("现有技术就绪度"), "trl_baseline", 10),
    col(_("目标技术就绪度"), "trl_target", 10),
    col(_("需求数"), "need_count", 8),
    col(_("榜单数"), "challenge_count", 8),
    col(_("课题说明"), "description", 40),
]


def _partners(app) -> str:
    """A joint application's partner units with their roles: 单位（角色）、… ("" when it has none)."""
    # in the reader's language, as the file's other columns: the units' names, the roles, the list's form
    return listed(f"{p.unit}{_('（')}{p.get_role_display()}{_('）')}" for p in app.partners.all())


def _partners_other(app) -> str:
    """The same partner units' names in the other language (`Unit.other_name`, "—" where none), in the same
    order: the English names in a Chinese file, the registered Chinese names in an English one."""
    return listed(p.unit.other_name or "—" for p in app.partners.all())


def _released(attr: str, user):
    """The review score or rank only where `user` may see it: an applicant not while under review (#14.9)."""
    return lambda a: getattr(a, attr) if permissions.can_see_review_result(user, a) else None


def _application_columns(user) -> list:
    return [
        col(_("榜单编号"), "challenge.code", 12),
        col(_("榜单"), "challenge.title", 30),
        col(_("项目名称"), "title", 30),
        col(_("揭榜单位"), "unit", 24),
        col(_("合作单位（角色）"), _partners, 36),
        col(_("合作单位注册名称（中文）") if english() else _("合作单位英文名称"), _partners_other, 36),
        col(_("挂帅人"), lambda a: str(a.leader) if a.leader_id else "", 12),
        col(_("状态"), label("status"), 10),
        col(_("申请财政经费"), money("budget_requested")),
        col(_("自筹经费"), money("budget_self")),
        col(_("评审得分"), _released("review_score", user), 10),
        col(_("评审排名"), _released("review_rank", user), 10),
        col(_("提交时间"), "submitted_at"),
    ]


CONTRACT_COLUMNS = [
    col(_("任务书编号"), "code", 14),
    col(_("项目名称"), "title", 30),
    col(_("榜单"), "challenge.title", 30),
    col(_("承担单位"), "unit", 24),
    col(_("项目负责人"), lambda c: str(c.leader) if c.leader_id else "", 12),
    col(_("项目专员"), lambda c: str(c.commissioner) if c.commissioner_id else "", 12),
    col(_("状态"), label("status"), 10),
    col(_("开始日期"), "start_date"),
    col(_("结束日期"), "end_date"),
    col(_("财政经费"), money("budget")),
    col(_("自筹经费"), money("budget_self")),
    col(_("已核验里程碑"), "verified_count", 10),
    col(_("里程碑总数"), "milestone_count", 10),
    col(_("逾期里程碑"), "overdue_count", 10),
    col(_("临期里程碑"), "at_risk_count", 10),
    col(_("团队"), _team, 40),
]


def _transfers(result) -> str:
    return gettext("；").join(
        f"{date_text(t.transferred_on)} {t.get_kind_display()} {t.counterparty} {money('amount')(t)}"
        for t in result.transfers.all()
    )


RESULT_COLUMNS = [
    col(_("成果名称"), "title", 30),
    col(_("成果类型"), label("kind"), 10),
    col(_("阶段性成果"), "is_stage_result", 10),
    col(_("项目"), "contract.title", 30),
    col(_("承担单位"), "contract.unit", 24),
    col(_("取得日期"), "achieved_on"),
    col(_("转化次数"), lambda r: len(r.transfers.all()), 8),
    col(_("转化金额合计"), money("transfer_total")),
    col(_("转化情况（日期 方式 受让方 金额）"), _transfers, 50),
]


def needs_xlsx(qs):
    return export_response("技术需求.xlsx", NEED_COLUMNS, qs, sheet_title=str(_("技术需求")))


def topics_xlsx(qs):
    return export_response("课题.xlsx", TOPIC_COLUMNS, qs, sheet_title=str(_("课题")))


def _extra_columns(qs) -> list:
    """A column per staff-added field of the application form versions in `qs` (issue #18), headed
    “label [key]”, its values by the stable key (the newest label of a key wins)."""
    versions = FormVersion.objects.filter(pk__in=qs.order_by().values("form_version")).order_by("number")
    specs: dict[str, dict] = {}
    for v in versions:
        for spec in programme.extra_fields(v):
            specs[spec["key"]] = spec
    return [
        col(
            f"{spec.get('label', '')} [{key}]",
            lambda a, spec=spec: fieldkinds.display(spec, (a.extra or {}).get(spec["key"])),
            24,
        )
        for key, spec in specs.items()
    ]


def applications_xlsx(qs, *, user):
    qs = qs.prefetch_related(Prefetch("partners", queryset=ApplicationPartner.objects.select_related("unit")))
    columns = _application_columns(user) + _extra_columns(qs)
    return export_response("揭榜申请.xlsx", columns, qs, sheet_title=str(_("揭榜申请")))


def _report_specs(purpose: str, version_ids) -> dict[str, dict]:
    """{key: spec} of the staff-added fields of the report form versions `version_ids` (the newest label
    of a key wins)."""
    specs: dict[str, dict] = {}
    for v in FormVersion.objects.filter(pk__in=set(version_ids)).order_by("number"):
        for spec in programme.report_extra_fields(v, purpose):
            specs[spec["key"]] = spec
    return specs


def _report_columns(qs) -> list:
    """Columns for the projects' reports' staff-added fields (issue #18), headed “report: label [key]”,
    values by the stable key: each milestone's yearly report (“M1：…；M2：…”), the latest mid-term check,
    the acceptance."""
    out = []
    ids = qs.order_by().values("pk")
    yearly = _report_specs(
        programme.YEARLY_REPORT,
        Milestone.objects.filter(contract__in=ids, form_version__isnull=False).values_list(
            "form_version", flat=True
        ),
    )
    for key, spec in yearly.items():
        out.append(
            col(
                f"{_('年度报告')}{gettext('：')}{spec.get('label', '')} [{key}]",
                lambda c, spec=spec: gettext("；").join(
                    f"M{m.seq}{gettext('：')}{fieldkinds.display(spec, m.extra[spec['key']])}"
                    for m in c.milestones.all()
                    if spec["key"] in (m.extra or {})
                ),
                30,
            )
        )

    def latest(c):
        checks = sorted(c.midterm_checks.all(), key=lambda m: (m.checked_on, m.pk))
        return checks[-1] if checks else None

    midterm = _report_specs(
        programme.MID_TERM,
        MidtermCheck.objects.filter(contract__in=ids, form_version__isnull=False).values_list(
            "form_version", flat=True
        ),
    )
    for key, spec in midterm.items():
        out.append(
            col(
                f"{_('中期检查')}：{spec.get('label', '')} [{key}]",
                lambda c, spec=spec: fieldkinds.display(
                    spec, ((latest(c) and latest(c).extra) or {}).get(spec["key"])
                ),
                24,
            )
        )
    acceptance = _report_specs(
        programme.ACCEPTANCE,
        Acceptance.objects.filter(contract__in=ids, form_version__isnull=False).values_list(
            "form_version", flat=True
        ),
    )
    for key, spec in acceptance.items():

        def value(c, spec=spec):
            acc = getattr(c, "acceptance", None)
            return fieldkinds.display(spec, (acc.extra or {}).get(spec["key"])) if acc is not None else ""

        out.append(col(f"{_('验收')}：{spec.get('label', '')} [{key}]", value, 24))
    return out


def _performance_columns(qs) -> list:
    """The performance evaluation (绩效评价, issue #18) when some of the projects have one: its grade and
    status in words, then its form's fields by stable key (“绩效评价：label [key]”)."""
    ids = qs.order_by().values("pk")
    versions = list(
        PerformanceEvaluation.objects.filter(contract__in=ids).values_list("form_version", flat=True)
    )
    if not versions:
        return []

    def ev(c):
        return getattr(c, "performance", None)

    out = [
        col(_("绩效评价等级"), lambda c: ev(c).get_grade_display() if ev(c) else "", 10),
        col(_("绩效评价状态"), lambda c: ev(c).get_status_display() if ev(c) else "", 10),
    ]
    for key, spec in _report_specs(programme.PERFORMANCE, [v for v in versions if v]).items():

        def value(c, spec=spec):
            e = ev(c)
            return fieldkinds.display(spec, (e.values or {}).get(spec["key"])) if e is not None else ""

        out.append(col(f"{_('绩效评价')}：{spec.get('label', '')} [{key}]", value, 24))
    return out


def contracts_xlsx(qs):
    reports = _report_columns(qs)
    performance = _performance_columns(qs)
    columns = CONTRACT_COLUMNS + reports + performance
    if reports:  # only when some report has staff-added fields
        qs = qs.select_related("acceptance").prefetch_related("milestones", "midterm_checks")
    if performance:
        qs = qs.select_related("performance")
    return export_response("攻关项目.xlsx", columns, qs, sheet_title=str(_("攻关项目")))


def results_xlsx(qs):
    return export_response("攻关成果.xlsx", RESULT_COLUMNS, qs, sheet_title=str(_("攻关成果")))
