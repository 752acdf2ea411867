"""The fact review queue as Excel (its 导出 Excel button; core.exports)."""

from django.utils.translation import gettext_lazy as _

from kechuang.core.exports import col, export_response, label

FACT_COLUMNS = [
    col(_("报告"), "document.title", 30),
    col(_("原句"), "quote", 60),
    col(_("类型"), label("kind"), 10),
    col(_("对象"), "subject", 20),
    col(_("谓词"), "predicate", 12),
    col(_("数值"), "shown_value", 12),
    col(_("单位"), "shown_unit_local", 8),
    col(_("存储值"), "value_text", 16),
    col(_("存储单位"), "unit_local", 8),
    col(_("限定"), "qualifier_local", 8),
    # the figure with its qualifier in the reader's word order (6级以上 / level 6 or above)
    col(_("数值与限定"), "figure_local", 20),
    col(_("期间"), "period", 10),
    # read across a span the repair could not decide: which parts, in words ("" when none)
    col(_("读自存疑处"), lambda f: f.doubt_words if f.uncertain else "", 14),
    col(_("状态"), label("status"), 10),
    col(_("入库状态"), lambda f: f.get_record_status_display() if f.record_status else "", 10),
    col(_("入库说明"), "record_note", 30),
    col(_("审核人"), lambda f: str(f.reviewed_by) if f.reviewed_by_id else "", 12),
    col(_("审核时间"), "reviewed_at"),
]


def facts_xlsx(qs):
    return export_response("事实审核.xlsx", FACT_COLUMNS, qs, sheet_title=str(_("事实")))
