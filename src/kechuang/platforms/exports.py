"""The reorganisations list as Excel (its 导出 Excel button; core.exports). The platform list and the yearly
reports have their own exports (importer.export_headers(), the import format)."""

from django.utils.translation import gettext_lazy as _

from kechuang.core.exports import col, export_response, label, names

REORGANISATION_COLUMNS = [
    col(_("日期"), "date"),
    col(_("类型"), label("kind"), 10),
    col(_("原平台"), names("sources", _("、"), "local_name"), 40),
    col(_("新平台"), names("targets", _("、"), "local_name"), 40),
    col(_("批次"), "batch", 16),
    col(_("说明"), "note", 40),
]


def reorganisations_xlsx(qs):
    return export_response("优化重组.xlsx", REORGANISATION_COLUMNS, qs, sheet_title=str(_("优化重组")))
