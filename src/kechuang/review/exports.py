"""The expert pool and the review rounds as Excel (the 导出 Excel button of each list; core.exports)."""

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core import disciplines, divisions
from kechuang.core.exports import col, export_response, label
from kechuang.core.lists import listed
from kechuang.programmes.names import local


def _disciplines(profile) -> str:
    return gettext("；").join(disciplines.labels(profile.disciplines))


EXPERT_COLUMNS = [
    col(_("姓名"), lambda p: str(p.user), 12),
    col(_("单位"), lambda p: str(p.user.unit) if p.user.unit_id else "", 24),
    col(_("职称"), "title", 12),
    col(_("学科"), _disciplines, 30),
    col(_("学科代码（GB/T 13745，供系统读取）"), lambda p: "、".join(map(str, p.disciplines or [])), 16),
    col(_("研究方向关键词"), lambda p: listed(p.keywords or []), 30),
    col(_("所在城市"), lambda p: divisions.city_label(p.city), 10),  # in the reader's language (Taiyuan)
    col(_("所在区县"), "region", 10),
    col(_("可参加评审"), "available", 10),
    col(_("年度评审上限"), "yearly_cap", 10),
    col(_("信用分"), lambda p: p.credit or 0, 8),
    col(_("评审任务数"), "n_assign", 10),
    col(_("状态"), label("status"), 10),
    col(_("电子邮箱"), "user.email", 24),
]

ROUND_COLUMNS = [
    col(_("名称"), lambda r: r.local_title, 30),  # a call review's English title on English pages
    col(_("评审对象"), lambda r: r.subject_type.name if r.subject_type_id else "", 14),
    col(_("评审表"), lambda r: str(r.form) if r.form_id else "", 20),
    col(_("分配方式"), label("mode"), 12),
    col(_("每项专家数"), "k", 10),
    col(_("专家最少评审数"), "min_load", 10),
    col(_("专家最多评审数"), "max_load", 10),
    col(_("同单位回避年限"), "conflict_years", 10),
    col(_("同城回避"), "same_city_rule", 10),
    col(_("评审对象数"), "n_subjects", 10),
    col(_("评审任务数"), "n_assignments", 10),
    # as the page: the mean match of the active assignments, a whole percentage (the solver's raw total is
    # no figure a person reads)
    col(
        _("平均匹配度（%）"), lambda r: None if r.mean_match is None else round(float(r.mean_match) * 100), 12
    ),
    col(_("分配时间"), "assigned_at"),
    col(_("评审截止"), "due"),
    col(_("状态"), label("status"), 10),
]


def experts_xlsx(qs):
    return export_response("专家库.xlsx", EXPERT_COLUMNS, qs, sheet_title=str(_("专家库")))


def expert_import_template():
    """The expert import's template: its header row in the reader's language, no rows (the import reads
    either language's headings; services.expert_import.headings)."""
    from kechuang.core.excel import xlsx_response

    from .services.expert_import import headings

    return xlsx_response("专家导入模板.xlsx", list(headings().values()), [], sheet_title=str(_("专家库")))


def rounds_xlsx(qs):
    qs = qs.annotate(
        n_subjects=Count("subjects", distinct=True),
        n_assignments=Count("assignments", distinct=True),
        mean_match=Avg("assignments__affinity", filter=Q(assignments__status="active")),
    )
    return export_response("评审轮次.xlsx", ROUND_COLUMNS, qs, sheet_title=str(_("评审轮次")))


def _named(headers: list) -> list[str]:
    """Column headings in the requester's language: a fixed heading as it is, a criterion's or a field's
    (name, key) by its name — told apart by its key in brackets only where another column has the same name
    (nothing else shows a key)."""
    names = [h[0] if isinstance(h, tuple) else str(h) for h in headers]
    return [
        f"{h[0]} [{h[1]}]" if isinstance(h, tuple) and (names.count(h[0]) > 1 or not h[0]) else name
        for h, name in zip(headers, names, strict=True)
    ]


def reviews_xlsx(rnd):
    """Every review of a round, one row each (每份评审表): the criteria's scores, the total, the
    recommendation, then one column per stable key of the review form versions the reviews were scored on
    ("label [key]", the newest label), the comments and the opinion (issue #18). Staff only."""
    from kechuang.core.excel import xlsx_response
    from kechuang.programmes.models import FormVersion

    from . import sheet
    from .models import Review

    criteria = list(rnd.form.criteria.all())
    reviews = list(
        Review.objects.filter(assignment__round=rnd)
        .exclude(status=Review.Status.PENDING)
        .select_related("assignment__subject", "assignment__expert")
        .prefetch_related("scores__criterion")
        .order_by("assignment__subject__order", "assignment__subject_id", "pk")
    )
    version_ids = {r.form_version_id or rnd.sheet_id for r in reviews} - {None}
    versions = {v.pk: v for v in FormVersion.objects.filter(pk__in=version_ids).order_by("number")}
    specs_of = {pk: sheet.sheet_specs(v, criteria) for pk, v in versions.items()}
    codes = {c.code for c in criteria}
    columns: dict[str, dict] = {}
    for pk in versions:  # by number: the newest label wins
        for spec in specs_of[pk]:
            if spec["key"] not in codes:
                columns[spec["key"]] = spec
    keys = list(columns)
    headers = _named(
        [
            _("评审对象"),
            _("专家"),
            _("状态"),
            _("评审表版本"),
            *((str(c), c.code) for c in criteria),
            _("总分"),
            _("推荐意见"),
            *((local(columns[k], "label"), k) for k in keys),
            _("评审意见"),
            _("公开意见"),
        ]
    )

    def rows():
        for r in reviews:
            vid = r.form_version_id or rnd.sheet_id
            by_key = {s["key"]: s for s in specs_of.get(vid, [])}
            scores = {s.criterion.code: s.score for s in r.scores.all()}
            yield [
                r.assignment.subject.local_title,
                str(r.assignment.expert),
                r.get_status_display(),
                str(versions[vid]) if vid in versions else "",
                *(scores.get(c.code, "") for c in criteria),
                r.total if r.total is not None else "",
                r.get_recommendation_display(),
                *(
                    sheet.fieldkinds.display(by_key[k], (r.sheet_values or {}).get(k)) if k in by_key else ""
                    for k in keys
                ),
                r.comments,
                r.opinion,
            ]

    return xlsx_response(
        f"review-round-{rnd.pk}-reviews.xlsx", headers, rows(), sheet_title=str(_("每份评审表"))
    )
