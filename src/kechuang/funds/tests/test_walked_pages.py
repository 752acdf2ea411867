"""What a newcomer walking the demo saw on the funds pages (session 12, helper walker)."""

import pytest
from django.urls import reverse

from kechuang.funds import services
from kechuang.funds.models import FinalAccount

from .conftest import pay, verify

pytestmark = pytest.mark.django_db


def test_confirming_a_final_account_asks_for_the_box_and_keeps_it_submitted_without(
    signed, staff, client_for
):
    pay(staff, verify(signed), "3000000")
    services.spending_report_set(
        actor=signed.leader, contract=signed, year=2026, quarter=1, lines={"business": "3000000"}
    )
    fa = services.final_account_draft(actor=signed.leader, contract=signed, handling="no_balance")
    type(signed).objects.filter(pk=signed.pk).update(status="acceptance")
    fa.contract.refresh_from_db()
    services.final_account_transition(actor=signed.leader, account=fa, action="submit")
    c = client_for(staff)
    page = c.get(reverse("funds:contract", args=[signed.pk])).content.decode()
    assert 'name="confirm" value="1" required' in page and "决算确认后不能再退回或修改" in page
    url = reverse("funds:final-action", args=[fa.pk, "confirm"])
    r = c.post(url, {})
    assert r.status_code == 400 and "请勾选确认" in r.content.decode()
    assert FinalAccount.objects.get().status == "submitted"
    assert c.post(url, {"confirm": "1"}).status_code == 302
    assert FinalAccount.objects.get().status == "confirmed"


def test_a_spending_reports_period_in_the_audit_trail_reads_in_the_readers_language(
    signed, staff, english_client_for
):
    from django.conf import settings
    from django.utils import translation

    services.spending_report_set(
        actor=signed.leader, contract=signed, year=2026, quarter=2, lines={"business": "100"}
    )
    c = english_client_for(staff)
    try:
        page = c.get(signed.get_absolute_url()).content.decode()
    finally:
        translation.activate(settings.LANGUAGE_CODE)
    assert "2026 Q2" in page and "2026年第2季度" not in page


def test_a_tranche_with_no_button_says_it_waits_for_its_milestone(signed, staff, client_for):
    from kechuang.funds.models import Payment

    second = Payment.objects.get(contract=signed, milestone__seq=2)
    services.payment_transition(actor=staff, payment=second, action="withhold", reason="票据不全")
    page = client_for(staff).get(reverse("funds:contract", args=[signed.pk])).content.decode()
    assert "里程碑核验通过后方可恢复拨付。" in page and "里程碑核验通过后转为可拨付。" in page
    assert "恢复拨付</button>" not in page


def test_a_spending_reports_lines_in_the_audit_trail_read_as_amounts(signed, staff, client_for, english):
    from django.conf import settings
    from django.utils import translation

    services.spending_report_set(
        actor=signed.leader, contract=signed, year=2026, quarter=3, lines={"equipment": "1040000"}
    )
    c = client_for(staff)
    page = c.get(signed.get_absolute_url()).content.decode()
    assert "104 万元" in page and "1040000.00" not in page
    english(c)
    try:
        page = c.get(signed.get_absolute_url()).content.decode()
    finally:
        translation.activate(settings.LANGUAGE_CODE)
    assert "CNY 1.04 million" in page and "1040000.00" not in page


def test_approving_or_withholding_a_tranche_asks_for_the_box_and_changes_nothing_without(
    signed, staff, client_for
):
    from kechuang.funds.models import Payment

    first = verify(signed)
    first.refresh_from_db()
    assert first.status == "payable"
    c = client_for(staff)
    page = c.get(reverse("funds:contract", args=[signed.pk])).content.decode()
    assert page.count('name="confirm" value="1" required') >= 2  # approve and withhold on the payable tranche
    assert "审批后即可登记拨付" in page and "恢复后方可继续" in page
    approve = reverse("funds:payment-action", args=[first.pk, "approve"])
    r = c.post(approve, {})
    assert r.status_code == 400 and "请勾选确认：审批后本期经费即可登记拨付。" in r.content.decode()
    assert Payment.objects.get(pk=first.pk).status == "payable"
    withhold = reverse("funds:payment-action", args=[first.pk, "withhold"])
    r = c.post(withhold, {"reason": "票据不全"})
    html = r.content.decode()
    assert (
        r.status_code == 400 and "请勾选确认：暂缓后本期经费停止拨付" in html and 'value="票据不全"' in html
    )
    assert Payment.objects.get(pk=first.pk).status == "payable"
    assert c.post(approve, {"confirm": "1"}).status_code == 302
    assert Payment.objects.get(pk=first.pk).status == "approved"
    assert c.post(withhold, {"reason": "票据不全", "confirm": "1"}).status_code == 302
    assert Payment.objects.get(pk=first.pk).status == "withheld"


def _refused_beside(html: str, field_id: str) -> str:
    """The reason shown beside the row's field (its errorlist, the field pointing at it), '' when none."""
    import re

    m = re.search(rf'id="{field_id}"[^>]*aria-describedby="([^"]+)"', html)
    if not m:
        return ""
    said = re.search(rf'<span class="errorlist" id="{m.group(1)}" role="alert">([^<]*)</span>', html)
    return said.group(1) if said else ""


def test_a_rows_refused_action_says_why_beside_its_field_not_atop_the_page(signed, staff, client_for):
    """A tranche's, an adjustment's and a final account's refused action: the reason by the row's field, the
    reason or note typed kept there, not in the page's messages at its top (walked, session 31)."""
    from kechuang.core.limits import REASON_MAX
    from kechuang.funds.models import BudgetAdjustment, Payment

    first = verify(signed)
    c = client_for(staff)
    r = c.post(reverse("funds:payment-action", args=[first.pk, "withhold"]), {"reason": "票据不全"})
    html = r.content.decode()
    assert r.status_code == 400 and 'class="messages"' not in html
    assert "请勾选确认：暂缓后本期经费停止拨付" in _refused_beside(html, f"c{first.pk}withhold")
    assert 'value="票据不全"' in html
    assert Payment.objects.get(pk=first.pk).status == "payable"

    adj = services.adjustment_request(
        actor=signed.leader,
        contract=signed,
        source="equipment",
        target="business",
        amount_yuan="1000",
        reason="改",
    )
    long_note = "意" * (REASON_MAX + 1)
    r = c.post(reverse("funds:adjustment-decide", args=[adj.pk]), {"approve": "1", "note": long_note})
    html = r.content.decode()
    assert r.status_code == 400 and 'class="messages"' not in html
    assert _refused_beside(html, f"n{adj.pk}") and long_note in html
    assert BudgetAdjustment.objects.get(pk=adj.pk).status == "pending"

    pay(staff, first, "3000000")
    services.spending_report_set(
        actor=signed.leader, contract=signed, year=2026, quarter=1, lines={"business": "3000000"}
    )
    fa = services.final_account_draft(actor=signed.leader, contract=signed, handling="no_balance")
    type(signed).objects.filter(pk=signed.pk).update(status="acceptance")
    fa.contract.refresh_from_db()
    services.final_account_transition(actor=signed.leader, account=fa, action="submit")
    r = c.post(reverse("funds:final-action", args=[fa.pk, "confirm"]), {})
    html = r.content.decode()
    assert r.status_code == 400 and 'class="messages"' not in html
    assert "请勾选确认：决算确认后不能再退回或修改。" in _refused_beside(html, "fcconfirm")
