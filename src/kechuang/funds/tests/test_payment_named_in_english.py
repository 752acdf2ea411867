"""An audit entry about a payment names it in the reader's language (people37: "JB-2025-001-01 第2期拨付" on
English pages, the name its writer read)."""

import pytest
from django.utils import translation

from kechuang.core.audit import audit_record
from kechuang.core.display import audit_lines
from kechuang.funds.models import Payment

pytestmark = pytest.mark.django_db


def test_a_payment_in_the_trail_reads_in_english(signed, staff):
    payment = Payment.objects.filter(contract=signed).order_by("pk").first()
    with translation.override("zh-hans"):
        event = audit_record(actor=staff, action="payment.note", obj=payment, after={})
        assert "期拨付" in event.object_repr
    with translation.override("en"):
        (line,) = audit_lines([event])
        assert line.object == str(payment) and "第" not in line.object and "tranche" in line.object
