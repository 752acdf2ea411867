"""The expert pool and the review rounds as Excel (the 导出 Excel button of each list; core.exports)."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from kechuang.core.exports import col, export_response, label

EXPERT_COLUMNS = [
    col(_("姓名"), lambda p: str(p.user), 12),
    col(_("单位"), lambda p: p.user.unit.name if p.user.unit_id else "", 24),
    col(_("职称"), "title", 12),
    col(_("学科代码"), lambda p: "、".join(map(str, p.disciplines or [])), 16),
    col(_("研究方向关键词"), lambda p: "、".join(map(str, p.keywords or [])), 30),
    col(_("所在城市"), "city", 10),
    col(_("所在地区"), "region", 10),
    col(_("可参加评审"), "available", 10),
    col(_("年度评审上限"), "yearly_cap", 10),
    col(_("信用分"), lambda p: p.credit or 0, 8),
    col(_("评审任务数"), "n_assign", 10),
    col(_("状态"), label("status"), 10),
    col(_("电子邮箱"), "user.email", 24),
]

ROUND_COLUMNS = [
    col(_("名称"), "title", 30),
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
    col(_("总匹配度"), "objective", 10),
    col(_("分配时间"), "assigned_at"),
    col(_("评审截止"), "due"),
    col(_("状态"), label("status"), 10),
]


def experts_xlsx(qs):
    return export_response("专家库.xlsx", EXPERT_COLUMNS, qs, sheet_title=str(_("专家库")))


def rounds_xlsx(qs):
    qs = qs.annotate(
        n_subjects=Count("subjects", distinct=True), n_assignments=Count("assignments", distinct=True)
    )
    return export_response("评审轮次.xlsx", ROUND_COLUMNS, qs, sheet_title=str(_("评审轮次")))
