"""The money's audit events in words: their verbs and payload keys (registered with core.display)."""

import re

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# verbs of the audit trail, in their own context ("审计"): their English is what was done, in the past
VERBS = {
    "budget_set": pgettext_lazy("审计", "填写经费预算"),
    "contract_budget_set": pgettext_lazy("审计", "设置任务书预算"),
    "rules_set": pgettext_lazy("审计", "设置经费规则"),
    "ledger_open": pgettext_lazy("审计", "建立经费台账"),
    "voucher": pgettext_lazy("审计", "上传拨付凭证"),
    "cofunding": pgettext_lazy("审计", "登记联合出资到账"),
    "spending_report": pgettext_lazy("审计", "报告经费执行"),
    "adjustment_request": pgettext_lazy("审计", "申请预算调整"),
    "budget_adjust": pgettext_lazy("审计", "调整预算"),
    "final_account": pgettext_lazy("审计", "编制决算"),
}

KEYS = {
    "equipment": _("设备费"),
    "business": _("业务费"),
    "labour": _("劳务费"),
    "indirect": _("间接费用"),
    # the amounts under these read as people write them (180 万元, CNY 1.8 million: yuan_payload), so the
    # labels carry no unit (a co-funding receipt's amount had read "金额（万元）：1,800,000", stored in 元)
    "fiscal": _("财政经费"),
    "self_raised": _("自筹经费"),
    "received_amount": _("到账金额"),
    "budget_lines": _("预算科目"),
    "tranches": _("拨付计划"),
    "lines": _("各科目支出"),
    "period": _("报告期"),
    "received_on": _("到账日期"),
    "cofunder": _("联合出资单位"),
    "size": _("大小（字节）"),
    "sha256": _("SHA-256 校验值"),
    "note": _("说明"),
    "large": _("须科技厅审批"),
    "indirect_max_pct": _("间接费用上限（占直接费用 %）"),
    "adjust_small_pct": _("专员可批调整比例（占调出科目 %）"),
    "adjust_small_amount": _("专员可批调整金额"),
}

# A spending report's period was stored as the writer read it ("2026年第2季度"): read in the reader's language.
PERIOD = re.compile(r"^(\d{4})年第([1-4])季度$")


def spending_report_payload(event, payload: dict) -> dict:
    """A spending report's audit payload with its period in the reader's language ("2026 Q2" in English) and
    each line's amount (stored in 元, "1040000.00") as people write it (104 万元, CNY 1.04 million)."""
    from django.utils.translation import gettext

    from kechuang.core.display import money

    out = dict(payload or {})
    m = PERIOD.match(str(out.get("period", "")))
    if m:
        out["period"] = gettext("%(year)s年第%(q)s季度") % {"year": m[1], "q": m[2]}
    lines = out.get("lines")
    if isinstance(lines, dict):
        out["lines"] = {key: _amount(value, money) for key, value in lines.items()}
    return out


def _amount(value, money) -> str:
    try:
        return money(value, unit="元")
    except (ArithmeticError, ValueError, TypeError):
        return value


def yuan_payload(event, payload: dict) -> dict:
    """A budget's, a ledger's or an adjustment's audit payload with its amounts (stored in 元, "8000000.00")
    as people write money (800 万元, CNY 8 million), as the funds page writes them: the amounts inside a
    budget's lines and the ledger's list of tranches had shown as the column stores them (people34), then as
    bare figures under a label naming the unit (people35). A co-funding receipt's amount under its own key
    (`received_amount`, 到账金额): core's `amount` names an amount in 万元."""
    from kechuang.core.display import money

    def shown(value):
        if isinstance(value, dict):
            return {k: shown(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [shown(v) for v in value]
        return _amount(value, money) if value not in (None, "") and not isinstance(value, bool) else value

    out = dict(payload or {})
    if event.action == "funds.cofunding":
        if "amount" in out:
            out["received_amount"] = shown(out.pop("amount"))
        return out
    if event.action == "funds.rules_set":
        if out.get("adjust_small_amount") not in (None, ""):
            out["adjust_small_amount"] = shown(out["adjust_small_amount"])
        return out
    return {k: shown(v) for k, v in out.items()}


YUAN_ACTIONS = (
    "funds.budget_set",
    "funds.contract_budget_set",
    "funds.ledger_open",
    "funds.budget_adjust",
    "funds.cofunding",
    "funds.rules_set",
)
