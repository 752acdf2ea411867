"""The challenges app's audit payloads in words (core.display.register_payload)."""

import decimal

from django.utils.translation import gettext as _

from kechuang.core.display import money


def milestones_payload(event, payload: dict) -> dict:
    """An application's proposed milestones as their applicant wrote them ("M1 样车下线（第 8 个月，拨付 900
    万元）"), not as the stored rows of (seq, title, month, tranche) flattened into "1, 样车下线, 8, 900"."""
    rows = payload.get("milestones")
    if not isinstance(rows, list):
        return payload
    out = dict(payload)
    out["milestones"] = _("；").join(_milestone_words(row) for row in rows) or None
    return out


def _milestone_words(row) -> str:
    if not isinstance(row, list | tuple) or len(row) != 4:
        return str(row)
    seq, title, month, tranche = row
    try:
        amount = money(decimal.Decimal(str(tranche)))
    except (decimal.InvalidOperation, ValueError):
        amount = str(tranche)
    return _("M%(seq)s %(title)s（第 %(month)s 个月，拨付 %(amount)s）") % {
        "seq": seq,
        "title": title,
        "month": month,
        "amount": amount,
    }
