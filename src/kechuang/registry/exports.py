"""The registries as Excel: the contract list, and the statistics a report quotes."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from kechuang.core.exports import col, export_response, label, money

CONTRACT_COLUMNS = [
    col(_l("登记号"), lambda c: c.number or "", 22),
    col(_l("合同名称"), "title", 30),
    col(_l("合同类型"), label("kind"), 10),
    col(_l("技术领域"), label("field"), 16),
    col(_l("卖方"), "seller.name", 24),
    col(_l("买方"), "buyer.name", 24),
    col(_l("买方类型"), lambda c: c.buyer.get_kind_display(), 10),
    col(_l("合同成交额"), money("amount")),
    col(_l("技术交易额"), money("tech_amount")),
    col(_l("签订日期"), "signed_on"),
    col(_l("状态"), label("status"), 10),
]


def contracts_xlsx(qs):
    return export_response(_("技术合同.xlsx"), CONTRACT_COLUMNS, qs, sheet_title=_("技术合同"))


STATS_COLUMNS = [
    col(_l("分组"), lambda r: r[0], 14),
    col(_l("类别"), lambda r: r[1], 24),
    col(_l("项数"), lambda r: r[2], 8),
    col(_l("合同成交额（万元）"), lambda r: r[3], 18),
    col(_l("技术交易额（万元）"), lambda r: r[4], 18),
]


def stats_rows(data: dict) -> list[tuple]:
    rows = [
        (_("合计"), str(data["year"] or _("全部年份")), data["count"], data["amount"], data["tech_amount"])
    ]
    for key, title in (
        ("by_kind", _("按合同类型")),
        ("by_buyer_kind", _("按买方类型")),
        ("by_field", _("按技术领域")),
        ("by_year", _("按登记年度")),
    ):
        rows += [(title, r["label"], r["count"], r["amount"], r["tech_amount"]) for r in data[key]]
    return rows


def stats_xlsx(data: dict):
    name = _("技术合同统计") + (f"{data['year']}" if data["year"] else "")
    return export_response(name + ".xlsx", STATS_COLUMNS, stats_rows(data), sheet_title=_("技术合同统计"))
