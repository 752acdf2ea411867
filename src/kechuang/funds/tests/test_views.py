"""The money pages end to end: the budget rows, a payment with its voucher, the overview and its export."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from kechuang.challenges import services as ch
from kechuang.challenges.tests.factories import ApplicationFactory, ContractFactory
from kechuang.funds import services
from kechuang.funds.models import BudgetLine, Payment

from .conftest import PDF, verify


def rows(**values) -> dict:
    """The budget formset's POST: one row per standard line, amounts in 万元."""
    data = {
        "budget-TOTAL_FORMS": "4",
        "budget-INITIAL_FORMS": "4",
        "budget-MIN_NUM_FORMS": "0",
        "budget-MAX_NUM_FORMS": "4",
    }
    for i, line in enumerate(("equipment", "business", "labour", "indirect")):
        data[f"budget-{i}-line"] = line
        data[f"budget-{i}-fiscal"] = values.get(line, "")
        data[f"budget-{i}-self_raised"] = ""
        data[f"budget-{i}-note"] = ""
    return data


@pytest.fixture
def app(db):
    return ApplicationFactory(budget_requested=Decimal("600"))


def test_the_unit_enters_the_budget_as_rows_in_wan(client, app):
    client.force_login(app.leader)
    url = reverse("funds:application-budget", args=[app.pk])
    page = client.get(url)
    assert page.status_code == 200
    for label in ("设备费", "业务费", "劳务费", "间接费用"):
        assert label in page.content.decode()
    r = client.post(url, rows(equipment="200", business="250.005", labour="49.995", indirect="100"))
    assert r.status_code == 302
    assert BudgetLine.objects.get(application=app, line="business").fiscal == Decimal("2500050.00")
    detail = client.get(app.get_absolute_url()).content.decode()
    assert "250.01 万元" in detail or "250 万元" in detail  # the panel shows 万元


def test_a_refused_budget_comes_back_with_its_reason_and_input(client, app):
    client.force_login(app.leader)
    url = reverse("funds:application-budget", args=[app.pk])
    r = client.post(url, rows(business="450", indirect="150"), follow=True)
    html = r.content.decode()
    assert "间接费用 150 万元超过上限" in html
    assert 'value="450"' in html  # the input is kept
    assert not BudgetLine.objects.exists()


def test_a_fraction_of_a_fen_is_refused_on_the_form(client, app):
    client.force_login(app.leader)
    r = client.post(reverse("funds:application-budget", args=[app.pk]), rows(business="600.0000001"))
    assert r.status_code == 400 and not BudgetLine.objects.exists()


def test_staff_pay_a_tranche_with_a_voucher_and_the_unit_downloads_it(client, staff):
    c = ContractFactory()
    ch.contract_sign(actor=staff, contract=c)
    p = verify(c)
    client.force_login(staff)
    client.post(reverse("funds:payment-action", args=[p.pk, "approve"]), {"confirm": "1"})
    r = client.post(
        reverse("funds:payment-action", args=[p.pk, "pay"]),
        {
            "paid_on": "2026-01-05",
            "paid_amount": "300",
            "voucher": SimpleUploadedFile("凭证.pdf", PDF),
            "confirm": "on",
        },
    )
    assert r.status_code == 302
    p.refresh_from_db()
    assert (p.status, p.paid_amount) == ("paid", Decimal("3000000.00"))
    page = client.get(reverse("funds:contract", args=[c.pk])).content.decode()
    assert "300 万元" in page and "已拨付" in page
    client.force_login(c.leader)
    download = client.get(reverse("funds:voucher", args=[p.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_paying_without_the_confirmation_pays_nothing(client, staff):
    c = ContractFactory(running=True)
    services.ledger_open(actor=staff, contract=c)
    p = Payment.objects.filter(contract=c).first()
    Payment.objects.filter(pk=p.pk).update(status="approved")
    client.force_login(staff)
    r = client.post(
        reverse("funds:payment-action", args=[p.pk, "pay"]),
        {"paid_on": "2026-01-05", "paid_amount": "300", "voucher": SimpleUploadedFile("v.pdf", PDF)},
        follow=True,
    )
    assert "不可撤销" in r.content.decode()
    p.refresh_from_db()
    assert p.status == "approved"


def test_the_overview_and_its_excel_in_wan_with_chinese_headers(client, staff):
    c = ContractFactory(running=True)
    services.ledger_open(actor=staff, contract=c)
    p = Payment.objects.filter(contract=c).first()
    services.payment_transition(actor=staff, payment=p, action="withhold", reason="整改")
    client.force_login(staff)
    html = client.get(reverse("funds:overview") + "?by=unit").content.decode()
    assert c.unit.name in html and "600 万元" in html and "300 万元" in html
    r = client.get(reverse("funds:overview") + "?by=unit&export=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    values = list(ws.values)
    assert values[0] == (
        "承担单位",
        "项目数",
        "已承诺（万元）",
        "可拨付（万元）",
        "已审批（万元）",
        "已拨付（万元）",
        "暂缓（万元）",
    )
    assert values[1][0] == c.unit.name and Decimal(str(values[1][2])) == Decimal("600")
    assert Decimal(str(values[1][6])) == Decimal("300")


def test_the_commissioner_may_not_see_the_overview(client, commissioner):
    client.force_login(commissioner)
    assert client.get(reverse("funds:overview")).status_code == 403


def test_the_api_pays_in_yuan_and_refuses_with_the_reason(staff):
    from rest_framework.test import APIClient

    c = ContractFactory(running=True)
    services.ledger_open(actor=staff, contract=c)
    p = Payment.objects.filter(contract=c).first()
    api = APIClient()
    api.force_authenticate(staff)
    r = api.post(reverse("api:funds-payment-action", args=[p.pk]), {"action": "approve"}, format="json")
    assert r.status_code == 409 and "当前状态" in r.json()["error"]["message"]
    r = api.post(
        reverse("api:funds-payment-action", args=[p.pk]),
        {"action": "withhold", "reason": "整改"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["status"] == "withheld"
    body = api.get(reverse("api:funds-project", args=[c.pk])).json()
    assert body["planned"] == "6000000.00" and body["payments"][0]["amount"] == "3000000.00"
    # amounts are strings of 元, never floats
    assert isinstance(body["payments"][0]["amount"], str)


def test_staff_set_the_contract_budget_as_rows_and_a_refusal_keeps_the_input(client, staff):
    c = ContractFactory(running=True)
    client.force_login(staff)
    url = reverse("funds:contract-budget", args=[c.pk])
    assert "本榜单经费规则" in client.get(reverse("funds:contract", args=[c.pk])).content.decode()
    r = client.post(url, rows(business="500", indirect="101"), follow=True)
    html = r.content.decode()
    assert "间接费用 101 万元超过上限" in html and 'value="101"' in html
    assert not BudgetLine.objects.filter(contract=c).exists()
    r = client.post(url, rows(business="500", indirect="100"))
    assert r.status_code == 302
    assert BudgetLine.objects.get(contract=c, line="indirect").fiscal == Decimal("1000000.00")


def test_the_unit_and_the_commissioner_may_not_set_the_contract_budget(client):
    c = ContractFactory(running=True)
    for user in (c.leader, c.commissioner):
        client.force_login(user)
        assert (
            client.post(reverse("funds:contract-budget", args=[c.pk]), rows(business="600")).status_code
            == 403
        )
    assert not BudgetLine.objects.filter(contract=c).exists()


# --- a refused submit on the money page keeps what was typed and says why (issue #13.4) ----------------


@pytest.fixture
def cofunded(db):
    from kechuang.accounts.tests.factories import UnitFactory

    return ContractFactory(
        running=True,
        application__challenge__cofunder=UnitFactory(name="太行创投有限公司"),
        application__challenge__cofund_share=Decimal("30"),
    )


def test_a_refused_cofunding_receipt_comes_back_with_the_input_and_the_reason(client, staff, cofunded):
    from kechuang.funds.models import CofundingReceipt

    client.force_login(staff)
    url = reverse("funds:cofunding", args=[cofunded.pk])
    # the form refuses (no date): the page itself answers, not a redirect, with the amount kept
    r = client.post(url, {"amount": "12.5", "received_on": "", "note": "首笔到账"})
    html = r.content.decode()
    assert r.status_code == 400
    assert 'value="12.5"' in html and 'value="首笔到账"' in html and "该字段是必填项" in html
    assert '<details class="panel" open>' in html  # the form's panel is open
    # the service refuses (a future date): the reason beside the date, the input kept
    r = client.post(url, {"amount": "12.5", "received_on": "2999-01-01", "note": "首笔到账"})
    html = r.content.decode()
    assert r.status_code == 400 and "到账日期不能晚于今天" in html and 'value="2999-01-01"' in html
    assert not CofundingReceipt.objects.exists()
    r = client.post(url, {"amount": "12.5", "received_on": "2026-01-05", "note": "首笔到账"})
    assert r.status_code == 302 and CofundingReceipt.objects.get().amount == Decimal("125000.00")


def test_a_refused_adjustment_and_spending_report_keep_the_input(client, staff):
    from kechuang.funds.models import BudgetAdjustment, SpendingReport

    c = ContractFactory(running=True)
    services.ledger_open(actor=staff, contract=c)
    client.force_login(c.leader)
    r = client.post(
        reverse("funds:adjustment-create", args=[c.pk]),
        {"source": "business", "target": "indirect", "amount": "3", "reason": "检测外包增加，需调整"},
    )
    html = r.content.decode()
    assert r.status_code == 400 and "不得调增" in html
    assert "检测外包增加，需调整" in html and 'value="3"' in html
    assert not BudgetAdjustment.objects.exists()
    r = client.post(
        reverse("funds:spending", args=[c.pk]),
        {"year": "1999", "quarter": "2", "line_equipment": "20", "note": "采购离子注入机"},
    )
    html = r.content.decode()
    assert r.status_code == 400 and "采购离子注入机" in html and 'value="20"' in html and "2000" in html
    assert not SpendingReport.objects.exists()


def test_a_refused_row_action_keeps_the_reason_typed(client, staff):
    c = ContractFactory(running=True)
    services.ledger_open(actor=staff, contract=c)
    p = Payment.objects.filter(contract=c).first()
    Payment.objects.filter(pk=p.pk).update(status="withheld", withheld_reason="整改")
    client.force_login(staff)
    # reinstating needs the milestone verified: refused on the page itself (400), saying why
    r = client.post(reverse("funds:payment-action", args=[p.pk, "reinstate"]), {"reason": "已完成整改复核"})
    assert r.status_code == 400 and "里程碑尚未核验通过" in r.content.decode()
    p.refresh_from_db()
    assert p.status == "withheld"
    # a reason refused while its action is still offered stays typed in that row's field
    Payment.objects.filter(pk=p.pk).update(status="planned")
    r = client.post(reverse("funds:payment-action", args=[p.pk, "withhold"]), {"reason": " ", "confirm": "1"})
    assert r.status_code == 400
    assert f'id="r{p.pk}withhold"' in r.content.decode()


def test_clearing_every_line_is_saved_and_goes_back_to_the_application(client, db):
    """A budget cleared to no lines (nothing requested yet) is saved: the service's empty list of lines is
    a success, not a refusal (core.attempts.attempt returns the service's result)."""
    app = ApplicationFactory(budget_requested=Decimal("0"))
    BudgetLine.objects.create(application=app, line="business", fiscal=Decimal("100"), self_raised=0)
    client.force_login(app.leader)
    r = client.post(reverse("funds:application-budget", args=[app.pk]), rows())
    assert r.status_code == 302 and r.url == app.get_absolute_url()
    assert not BudgetLine.objects.filter(application=app).exists()


def test_a_refused_money_form_says_why_once_beside_the_form(client, staff, cofunded, english):
    """A refused form's reasons are said beside the form (its panel open, the input kept), not a second
    time in a flash message above the page: for the form's own check and for the service's refusal."""
    client.force_login(staff)
    url = reverse("funds:cofunding", args=[cofunded.pk])
    r = client.post(url, {"amount": "12.5", "received_on": "", "note": "首笔到账"})
    html = r.content.decode()
    assert r.status_code == 400 and html.count("该字段是必填项") == 1
    assert 'class="messages"' not in html and 'value="12.5"' in html
    r = client.post(url, {"amount": "12.5", "received_on": "2999-01-01", "note": "首笔到账"})
    html = r.content.decode()
    # the service's reason: above the form and beside its date (core.attempts, as every app's forms), never
    # in a flash message as well
    assert r.status_code == 400 and 'class="messages"' not in html
    assert 'id="co_received_on_error"><li>到账日期不能晚于今天' in html
    assert 'value="2999-01-01"' in html and 'value="首笔到账"' in html
    # English too: once, in English
    english(client)
    r = client.post(url, {"amount": "12.5", "received_on": "", "note": "首笔到账"})
    html = r.content.decode()
    assert (
        r.status_code == 400 and html.count("This field is required") == 1 and 'class="messages"' not in html
    )


def test_each_budget_rule_refusal_is_beside_what_it_concerns(client, app):
    """The cap's refusal beside the indirect line's amount, the sum's beside the total, neither atop the page
    (the page's messages), every amount as typed (people33)."""
    from django.contrib.messages import get_messages

    client.force_login(app.leader)
    url = reverse("funds:application-budget", args=[app.pk])
    r = client.post(url, rows(business="400", indirect="150"))
    assert r.status_code == 400 and not list(get_messages(r.wsgi_request))
    formset = r.context["formset"]
    indirect = next(f for f in formset.forms if f.line_code() == "indirect")
    assert "间接费用 150 万元超过上限" in " ".join(indirect.errors["fiscal"])
    assert all(not f.errors for f in formset.forms if f is not indirect)
    assert "合计 550 万元" in " ".join(formset.total_errors) and not formset.refusals
    html = r.content.decode()
    assert 'id="budget-total-error"' in html and 'value="400"' in html and 'value="150"' in html
    # beside the field: the reason comes after the indirect row's amount box, in its cell
    cell = html[html.index('name="budget-3-fiscal"') :]
    assert cell.index("超过上限") < cell.index("</td>")
    assert not BudgetLine.objects.exists()


def test_an_adjustments_rule_refusal_is_beside_its_field(client, staff):
    """Moving more than the source line holds: said beside the amount, not atop the page or the form."""
    from kechuang.funds.models import BudgetAdjustment

    c = ContractFactory(running=True)
    client.force_login(staff)
    client.post(reverse("funds:contract-budget", args=[c.pk]), rows(business="500", indirect="100"))
    client.force_login(c.application.leader)
    r = client.post(
        reverse("funds:adjustment-create", args=[c.pk]),
        {"source": "equipment", "target": "business", "amount": "10", "reason": "设备改租"},
    )
    assert r.status_code == 400
    form = r.context["adjustment_form"]
    assert "调整金额超过调出科目的预算。" in form.errors["amount"] and not form.non_field_errors()
    assert 'value="设备改租"' in r.content.decode() or "设备改租" in r.content.decode()
    assert not BudgetAdjustment.objects.exists()
