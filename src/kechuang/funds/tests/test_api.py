"""The money API's unit side (issue #16): spending reports, budget adjustments, final accounts — the same
permission checks, rules and audit as the pages; amounts strings of 元."""

from decimal import Decimal

import pytest
from django.urls import reverse

from kechuang.accounts.tests.factories import UserFactory
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role
from kechuang.funds import selectors, services
from kechuang.funds.models import BudgetAdjustment, FinalAccount, SpendingReport

from .conftest import api, pay, verify


def test_the_unit_reports_spending_and_reads_it_back_in_yuan(signed):
    url = reverse("api:funds-spending", args=[signed.pk])
    r = api(signed.leader).post(
        url,
        {"year": 2026, "quarter": 2, "lines": {"business": "12345.67", "labour": "100"}, "note": "二季度"},
        format="json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["lines"] == {"business": "12345.67", "labour": "100.00"}
    assert r.json()["total"] == "12445.67"
    e = AuditEvent.objects.get(action="funds.spending_report")
    assert e.after["lines"]["business"] == "12345.67"
    body = api(signed.commissioner).get(url).json()
    assert [x["quarter"] for x in body] == [2] and body[0]["period"] == "2026年第2季度"


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"year": 2026, "quarter": 5, "lines": {"business": "1"}}, "quarter"),
        ({"year": 2026, "quarter": 1, "lines": {"business": "0.001"}}, "lines"),
        ({"year": 2026, "quarter": 1, "lines": {"nonsense": "1"}}, "lines"),
        ({"year": 2026, "quarter": 1, "lines": {"business": "-1"}}, "lines"),
    ],
)
def test_refused_spending_says_which_field_and_stores_nothing(signed, payload, field):
    r = api(signed.leader).post(reverse("api:funds-spending", args=[signed.pk]), payload, format="json")
    assert r.status_code == 400
    assert field in str(r.json())
    assert not SpendingReport.objects.exists()


def test_only_the_unit_reports_spending_and_strangers_do_not_see_the_project(signed, staff):
    url = reverse("api:funds-spending", args=[signed.pk])
    payload = {"year": 2026, "quarter": 1, "lines": {"business": "1"}}
    assert api(signed.commissioner).post(url, payload, format="json").status_code == 403
    assert api(staff).post(url, payload, format="json").status_code == 403
    stranger = UserFactory(roles=[Role.APPLICANT])
    assert api(stranger).get(url).status_code == 404
    assert api(stranger).post(url, payload, format="json").status_code == 404
    assert not SpendingReport.objects.exists()


def test_adjustments_asked_by_the_unit_and_decided_by_the_right_person(signed, staff):
    url = reverse("api:funds-adjustments", args=[signed.pk])
    r = api(signed.leader).post(
        url,
        {"source": "business", "target": "equipment", "amount": "100000", "reason": "设备涨价"},
        format="json",
    )
    assert r.status_code == 201, r.content
    small = r.json()
    assert small["large"] is False and small["status"] == "pending" and small["amount"] == "100000.00"
    # the rules refuse with their reason (indirect costs are never raised), nothing stored
    r = api(signed.leader).post(
        url, {"source": "business", "target": "indirect", "amount": "1", "reason": "x"}, format="json"
    )
    assert r.status_code == 400 and "不得调增" in r.json()["error"]["message"]
    r = api(signed.leader).post(
        url, {"source": "business", "target": "labour", "amount": "1", "reason": " "}, format="json"
    )
    assert r.status_code == 400 and "理由" in str(r.json())
    assert BudgetAdjustment.objects.count() == 1
    # another commissioner may not see it; the unit may not decide
    decide = reverse("api:funds-adjustment-decide", args=[small["id"]])
    other = UserFactory(roles=[Role.COMMISSIONER])
    assert api(other).post(decide, {"approve": True}, format="json").status_code == 404
    assert api(signed.leader).post(decide, {"approve": True}, format="json").status_code == 403
    r = api(signed.commissioner).post(
        decide, {"approve": True, "note": "同意", "confirm": True}, format="json"
    )
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert selectors.fiscal_by_line(contract=signed)["equipment"] == Decimal("2100000.00")
    assert AuditEvent.objects.filter(action="funds.budget_adjust").count() == 1
    # a large one: the commissioner is refused with the reason, staff decide
    r = api(signed.leader).post(
        url,
        {"source": "business", "target": "labour", "amount": "500000", "reason": "增加人员"},
        format="json",
    )
    large = r.json()
    assert large["large"] is True
    decide = reverse("api:funds-adjustment-decide", args=[large["id"]])
    r = api(signed.commissioner).post(decide, {"approve": True}, format="json")
    assert r.status_code == 409 and "科技厅审批" in r.json()["error"]["message"]
    r = api(staff).post(decide, {"approve": False, "note": "理由不充分", "confirm": True}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    assert len(api(signed.leader).get(url).json()) == 2


def test_final_accounts_drawn_submitted_and_confirmed_through_the_api(signed, staff):
    pay(staff, verify(signed), "3000000")
    services.spending_report_set(
        actor=signed.leader, contract=signed, year=2026, quarter=1, lines={"business": "2999999.99"}
    )
    url = reverse("api:funds-final-account", args=[signed.pk])
    assert api(signed.leader).get(url).status_code == 404  # not drawn up yet
    r = api(signed.leader).put(url, {"handling": "no_balance"}, format="json")
    assert r.status_code == 400 and "结余" in r.json()["error"]["message"]
    assert api(signed.commissioner).put(url, {"handling": "return_fund"}, format="json").status_code == 403
    r = api(signed.leader).put(url, {"handling": "return_fund", "note": "结余收回"}, format="json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["received"], body["spent"], body["balance"]) == ("3000000.00", "2999999.99", "0.01")
    action = reverse("api:funds-final-action", args=[body["id"]])
    r = api(signed.leader).post(action, {"action": "submit", "confirm": True}, format="json")
    assert r.status_code == 409 and "验收" in r.json()["error"]["message"]
    type(signed).objects.filter(pk=signed.pk).update(status="acceptance")
    assert (
        api(signed.leader).post(action, {"action": "submit", "confirm": True}, format="json").status_code
        == 200
    )
    assert (
        api(signed.leader).post(action, {"action": "confirm", "confirm": True}, format="json").status_code
        == 403
    )
    assert api(staff).post(action, {"action": "nonsense"}, format="json").status_code == 400
    r = api(staff).post(action, {"action": "confirm", "confirm": True}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    assert FinalAccount.objects.get().status == "confirmed"
    assert AuditEvent.objects.filter(action="funds.final_account").count() == 1
    stranger = UserFactory(roles=[Role.STAFF, Role.APPLICANT])
    assert api(stranger).get(url).status_code == 200  # staff see every project's money


def test_staff_dashboard_lists_payable_tranches_adjustments_and_final_accounts(signed, staff, client):
    from kechuang.core import ui

    def titles(user):
        # a fresh user, as each request has (the dashboard reads the payable tranches once per request)
        return [str(t.title) for t in ui.tasks_for(type(user).objects.get(pk=user.pk))]

    assert not any("可拨付" in t for t in titles(staff))
    verify(signed)
    services.adjustment_request(
        actor=signed.leader,
        contract=signed,
        source="business",
        target="equipment",
        amount_yuan="100000",
        reason="设备涨价",
    )
    fa = services.final_account_draft(actor=signed.leader, contract=signed, handling="no_balance")
    type(signed).objects.filter(pk=signed.pk).update(status="acceptance")
    fa.contract.refresh_from_db()
    services.final_account_transition(actor=signed.leader, account=fa, action="submit")
    got = titles(staff)
    assert any("1 笔拨付已可拨付（300 万元）" in t for t in got), got
    assert any(f"预算调整待审批：{signed.code}（业务费 → 设备费，10 万元）" in t for t in got), got
    assert any("项目决算待审核" in t and signed.code in t for t in got), got
    cards = {str(c.title): c.value for c in ui.cards_for(type(staff).objects.get(pk=staff.pk))}
    assert cards["可拨付经费"] == "300 万元"
    # the project's commissioner sees the small adjustment of their project; another commissioner nothing
    assert any("预算调整待审批" in t for t in titles(signed.commissioner))
    assert not any("预算调整" in t for t in titles(UserFactory(roles=[Role.COMMISSIONER])))
    # the applicant sees none of staff's money tasks
    assert not any("可拨付" in t or "决算待审核" in t for t in titles(signed.leader))
    client.force_login(staff)
    page = client.get(reverse("web:dashboard")).content.decode()
    assert "项目决算待审核" in page
