"""What the money services share: refusal messages, the contract lock and amount parsing."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from kechuang.core.exceptions import ApplicationError

from .. import money

NOT_ALLOWED = _("您无权处理此项目的经费。")
NO_BUDGET_EDIT = _("只有揭榜单位可在申请提交前填写经费预算。")


def amount(value, field: str) -> Decimal:
    """An amount in 元 to the fen, or ApplicationError naming the field."""
    try:
        return money.yuan(value)
    except (money.BelowFen, InvalidOperation, TypeError, ValueError) as exc:
        msg = str(_("金额须为精确到分的数字。"))
        raise ApplicationError(msg, code="invalid_amount", fields={field: [msg]}) from exc
