"""The registries' rules: who files and approves, the registration number, the public search, the
technology contracts' statistics (checked against a plain sum over generated contracts), pages and API."""

import datetime
import io
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from kechuang.accounts.models import Unit
from kechuang.accounts.tests.factories import UnitFactory
from kechuang.challenges import services as ch
from kechuang.challenges.tests.factories import ContractFactory
from kechuang.core.exceptions import ApplicationError, InvalidTransition, PermissionDenied
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role
from kechuang.registry import selectors, services
from kechuang.registry.models import ResultRegistration, TechContract
from kechuang.registry.numbers import format_number, parse_number

FORM = {
    "name": "8英寸导电型碳化硅衬底",
    "category": "applied",
    "evaluation": "acceptance",
    "stage": "mature",
    "industry": "C",
    "keywords": "碳化硅，衬底，单晶生长",
    "ip_kind": "invention",
    "ip_numbers": "ZL202610000001.X",
    "doi": "10.1000/sic.2026.1",
    "summary": "突破8英寸碳化硅单晶生长关键工艺。",
}


@pytest.fixture
def project(make_user):
    return running_project(make_user)


def running_project(make_user):
    """A unit's applicant, their unit, a running contract and a result recorded under it (also used by
    tests/security/test_decided_page_scope.py)."""
    unit = UnitFactory(name="山西碳化硅材料有限公司")
    applicant = make_user(Role.APPLICANT, unit=unit, full_name="王工")
    contract = ContractFactory(running=True, application__unit=unit, application__leader=applicant)
    result = ch.result_record(
        actor=applicant,
        contract=contract,
        kind="product",
        title=FORM["name"],
        achieved_on=datetime.date(2026, 1, 5),
    )
    return applicant, unit, contract, result


@given(
    kind=st.sampled_from(["result", "contract"]),
    region=st.from_regex(r"\A[0-9]{6}\Z"),
    year=st.integers(2000, 2100),
    seq=st.integers(1, 99999),
)
def test_number_round_trip(kind, region, year, seq):
    assert parse_number(format_number(kind, region, year, seq)) == (kind, region, year, seq)


def test_number_refuses_out_of_range():
    for args in (("x", "140000", 2026, 1), ("result", "14", 2026, 1), ("result", "140000", 2026, 0)):
        with pytest.raises(ValueError):
            format_number(*args)
    assert parse_number("CG-140000-2026-1") is None


@pytest.mark.django_db
def test_registration_from_draft_to_number(project, make_user, staff):
    applicant, unit, contract, result = project
    partner = UnitFactory(name="太原理工大学", kind="university")
    stranger = make_user(Role.APPLICANT)
    with pytest.raises(PermissionDenied):
        services.registration_create(actor=stranger, result=result, units=[unit], people=[], **FORM)
    with pytest.raises(ValidationError):
        services.registration_create(
            actor=applicant, result=result, units=[unit], people=[], **FORM | {"doi": "doi"}
        )
    reg = services.registration_create(actor=applicant, result=result, units=[], people=[applicant], **FORM)
    with pytest.raises(InvalidTransition) as exc:
        services.registration_transition(actor=applicant, registration=reg, action="submit")
    assert "完成单位" in str(exc.value)
    reg = services.registration_update(
        actor=applicant, registration=reg, expected_version=reg.version, units=[partner, unit]
    )
    assert [r.unit for r in reg.unit_rows.order_by("seq")] == [partner, unit]  # the order chosen
    services.registration_transition(actor=applicant, registration=reg, action="submit")
    with pytest.raises(InvalidTransition):
        services.registration_transition(actor=applicant, registration=reg, action="approve")
    with pytest.raises(InvalidTransition) as exc:
        services.registration_transition(actor=staff, registration=reg, action="return")
    assert "理由" in str(exc.value)
    services.registration_transition(actor=staff, registration=reg, action="return", reason="简介过短")
    assert reg.status == "returned" and reg.note == "简介过短" and reg.number is None
    services.registration_transition(actor=applicant, registration=reg, action="submit")
    assert selectors.registration_search(q="碳化硅").count() == 0  # not public before approval
    services.registration_transition(actor=staff, registration=reg, action="approve")
    reg.refresh_from_db()
    year = reg.registered_at.year
    assert reg.status == "registered" and reg.number == f"CG-140000-{year}-00001"
    # the public search finds it by its words, a completing unit or its number
    for q in ("碳化硅", "太原理工", reg.number):
        assert list(selectors.registration_search(q=q)) == [reg], q
    assert list(selectors.registration_search(q="石墨烯")) == []
    with pytest.raises(ApplicationError):
        services.registration_update(
            actor=applicant, registration=reg, expected_version=reg.version, name="x"
        )
    # a second result gets the next number; a revoked one keeps its own
    r2 = ch.result_record(
        actor=applicant,
        contract=contract,
        kind="patent",
        title="晶体生长炉",
        achieved_on=datetime.date(2026, 2, 1),
    )
    reg2 = services.registration_create(
        actor=applicant, result=r2, units=[unit], people=[applicant], **FORM | {"name": "晶体生长炉"}
    )
    services.registration_transition(actor=applicant, registration=reg2, action="submit")
    services.registration_transition(actor=staff, registration=reg2, action="approve")
    services.registration_transition(actor=staff, registration=reg, action="revoke", reason="重复登记")
    reg.refresh_from_db()
    assert (
        reg2.number == f"CG-140000-{year}-00002" and reg.number.endswith("00001") and reg.status == "revoked"
    )
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "result_registration.create",
        "result_registration.update",
        "result_registration.submit",
        "result_registration.return",
        "result_registration.approve",
        "result_registration.revoke",
    } <= actions


def _contract(actor, seller, buyer, kind, amount, tech, day=datetime.date(2025, 6, 1), **kw):
    return services.contract_create(
        actor=actor,
        seller=seller,
        buyer=buyer,
        title=f"{kind}合同",
        kind=kind,
        field="materials",
        amount=Decimal(amount),
        tech_amount=Decimal(tech),
        signed_on=day,
        **kw,
    )


@pytest.mark.django_db
def test_contract_rules(make_user, staff):
    a, b = UnitFactory(kind="university"), UnitFactory(kind="enterprise")
    seller_user = make_user(Role.APPLICANT, unit=a)
    with pytest.raises(PermissionDenied):
        _contract(make_user(Role.APPLICANT), a, b, "licence", "10", "10")
    with pytest.raises(ValidationError):
        _contract(seller_user, a, b, "licence", "10", "12")  # the technical part exceeds the whole
    same = _contract(staff, a, a, "service", "10", "5")
    with pytest.raises(InvalidTransition) as exc:
        services.contract_transition(actor=staff, contract=same, action="submit")
    assert "同一单位" in str(exc.value)
    c = _contract(seller_user, a, b, "licence", "100", "80")
    services.contract_transition(actor=seller_user, contract=c, action="submit")
    with pytest.raises(InvalidTransition):
        services.contract_transition(actor=seller_user, contract=c, action="register")
    services.contract_transition(actor=staff, contract=c, action="register")
    assert c.status == "registered" and c.number.startswith("JS-140000-")
    assert list(selectors.tech_contracts_visible_to(make_user(Role.APPLICANT))) == []
    assert set(selectors.tech_contracts_visible_to(seller_user)) == {c, same}  # its unit is a party to both


@pytest.mark.django_db
def test_a_transfer_becomes_a_contract(project, staff):
    applicant, unit, contract, result = project
    buyer = UnitFactory(kind="enterprise")
    t = ch.transfer_record(
        actor=applicant,
        result=result,
        kind="licence",
        counterparty=buyer.name,
        amount="1200",
        transferred_on=datetime.date(2026, 2, 1),
    )
    initial = services.contract_initial_from_transfer(t)
    assert (initial["kind"], initial["seller"], initial["amount"]) == ("licence", unit.pk, Decimal("1200.00"))
    c = services.contract_create(
        actor=applicant,
        transfer=t,
        buyer=buyer,
        seller=unit,
        **{k: initial[k] for k in ("title", "kind", "amount", "tech_amount", "signed_on")},
        field="materials",
    )
    assert c.result == result and c.transfer == t


@pytest.mark.django_db
def test_statistics_equal_a_plain_sum_over_generated_contracts(staff):
    """Generated contracts (a seed not looked at while writing the selector); statistics vs a plain sum."""
    rng = random.Random(20261203)
    units = [UnitFactory(kind=k) for k in ("enterprise", "university", "institute", "hospital", "enterprise")]
    made = []
    for _ in range(40):
        seller, buyer = rng.sample(units, 2)
        amount = Decimal(rng.randint(1, 5000))
        tech = (amount * Decimal(rng.randint(50, 100)) / 100).quantize(Decimal("0.01"))
        c = _contract(staff, seller, buyer, rng.choice(TechContract.Kind.values), amount, tech)
        outcome = rng.choice(["draft", "submitted", "registered", "registered", "refused"])
        if outcome != "draft":
            services.contract_transition(actor=staff, contract=c, action="submit")
        if outcome in ("registered", "refused"):
            services.contract_transition(
                actor=staff,
                contract=c,
                action="register" if outcome == "registered" else "refuse",
                reason="x",
            )
        made.append(c)
    registered = [c for c in made if c.status == "registered"]
    s = selectors.contract_stats()
    assert s["count"] == len(registered)
    assert s["amount"] == sum(c.amount for c in registered)
    assert s["tech_amount"] == sum(c.tech_amount for c in registered)
    for kind in TechContract.Kind.values:
        want = sum(c.amount for c in registered if c.kind == kind)
        got = next((r["amount"] for r in s["by_kind"] if r["key"] == kind), Decimal("0"))
        assert got == want, kind
    for kind in Unit.Kind.values:
        want = sum(c.tech_amount for c in registered if c.buyer.kind == kind)
        got = next((r["tech_amount"] for r in s["by_buyer_kind"] if r["key"] == kind), Decimal("0"))
        assert got == want, kind
    assert sum(r["count"] for r in s["by_year"]) == len(registered)


@pytest.mark.django_db
def test_pages_pickers_and_excel(client, project, staff):
    applicant, unit, contract, result = project
    client.force_login(applicant)
    r = client.get("/registry/results/new/")
    assert r.status_code == 200 and FORM["name"] in r.content.decode()
    data = FORM | {"result": result.pk, "units": [unit.pk], "people": [applicant.pk], "doi": "not a doi"}
    r = client.post("/registry/results/new/", data)
    assert r.status_code == 400 and "10.xxxx" in r.content.decode() and FORM["summary"] in r.content.decode()
    r = client.post("/registry/results/new/", data | {"doi": FORM["doi"]})
    assert r.status_code == 302
    reg = ResultRegistration.objects.get(result=result)
    assert client.get("/registry/pick/people/?q=王").json()["results"][0]["value"] == str(applicant.pk)
    client.post(f"/registry/results/{reg.pk}/do/submit/")
    client.force_login(staff)
    detail = client.get(reg.get_absolute_url()).content.decode()
    confirm_url = f"/registry/results/{reg.pk}/confirm/approve/"
    assert confirm_url in detail and 'type="checkbox" name="confirm"' not in detail  # a page, not a tick box
    r = client.post(f"/registry/results/{reg.pk}/do/approve/")  # not from the confirmation page: shown it
    reg.refresh_from_db()
    assert r.status_code == 302 and r["Location"] == confirm_url and reg.status == "submitted"
    page = client.get(confirm_url).content.decode()
    assert "登记号一经分配不再收回" in page and "公开" in page and 'name="confirm" value="1"' in page
    client.post(f"/registry/results/{reg.pk}/do/approve/", {"confirm": "1", "reason": "材料齐全"})
    reg.refresh_from_db()
    assert reg.status == "registered" and reg.note == "材料齐全"
    # revoking needs a reason: refused on the confirmation page (400), what was typed is kept
    r = client.post(f"/registry/results/{reg.pk}/do/revoke/", {"confirm": "1", "reason": "  "})
    reg.refresh_from_db()
    assert r.status_code == 400 and reg.status == "registered"
    assert "理由" in r.content.decode() and "不再出现在公开检索" in r.content.decode()
    # a person whose role cannot approve is refused the page
    client.force_login(applicant)
    assert client.get(f"/registry/results/{reg.pk}/confirm/revoke/").status_code == 403
    client.force_login(staff)
    client.logout()
    page = client.get("/registry/results/?q=碳化硅").content.decode()
    assert reg.number in page and "统一社会信用代码" not in page  # the list shows the number, not codes
    assert client.get(reg.get_absolute_url()).status_code == 200
    # statistics as Excel
    buyer = UnitFactory(kind="university")
    c = _contract(staff, unit, buyer, "development", "300", "250")
    services.contract_transition(actor=staff, contract=c, action="submit")
    client.force_login(staff)
    page = client.get(f"/registry/contracts/{c.pk}/confirm/refuse/").content.decode()
    assert "不计入技术合同统计" in page and 'name="reason"' in page
    r = client.post(f"/registry/contracts/{c.pk}/do/refuse/", {"confirm": "1", "reason": ""})
    c.refresh_from_db()
    assert r.status_code == 400 and c.status == "submitted"  # refused without a reason, nothing changed
    r = client.post(f"/registry/contracts/{c.pk}/do/register/", {"confirm": "1"})
    c.refresh_from_db()
    assert r.status_code == 302 and c.status == "registered"
    page = client.get(f"/registry/contracts/{c.pk}/confirm/register/").content.decode()
    assert "现在还不能执行" in page and 'name="confirm"' not in page  # said why, no button
    assert client.get("/registry/stats/").status_code == 200
    r = client.get("/registry/stats/?export=xlsx")
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(b"".join(r.streaming_content))).active.iter_rows(values_only=True))
    assert rows[1][2] == 1 and Decimal(str(rows[1][3])) == Decimal("300")
    assert rows[[r[1] for r in rows].index("高等院校")][:2] == ("按买方类型", "高等院校")


@pytest.mark.django_db
def test_api(api_for, project, staff):
    applicant, unit, contract, result = project
    a = api_for(applicant)
    body = FORM | {"result": result.pk, "unit_ids": [unit.pk], "person_ids": [applicant.pk]}
    r = a.post("/api/registry/results/", body, format="json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["units"][0]["name"] == unit.name
    assert api_for(None).get(f"/api/registry/results/{pk}/").status_code == 404  # a draft is not public
    r = a.post(
        f"/api/registry/results/{pk}/transition/", {"confirm": True, "action": "approve"}, format="json"
    )
    assert r.status_code == 409
    assert (
        a.post(
            f"/api/registry/results/{pk}/transition/", {"confirm": True, "action": "submit"}, format="json"
        ).status_code
        == 200
    )
    r = api_for(staff).post(
        f"/api/registry/results/{pk}/transition/", {"confirm": True, "action": "approve"}, format="json"
    )
    assert r.status_code == 200 and r.json()["number"].startswith("CG-140000-")
    assert api_for(None).get(f"/api/registry/results/{pk}/").json()["doi"] == FORM["doi"]
    r = api_for(staff).get("/api/registry/contracts/stats/?year=20x6")
    assert r.status_code == 400
    assert api_for(applicant).get("/api/registry/contracts/stats/").status_code == 403
    assert api_for(staff).get("/api/registry/contracts/stats/").json()["count"] == 0


@pytest.mark.django_db
def test_a_refused_return_keeps_the_reason_and_a_stale_step_says_who_decided(
    client_for, project, staff, make_user
):
    """Returning without a reason: the registration's page again with why (400; it was a message after a
    redirect). Returning or approving what another staff member already decided: a page saying by whom and
    when, the reason typed kept (409)."""
    applicant, unit, contract, result = project
    reg = services.registration_create(
        actor=applicant, result=result, units=[unit], people=[applicant], **FORM
    )
    services.registration_transition(actor=applicant, registration=reg, action="submit")
    c = client_for(staff)
    url = f"/registry/results/{reg.pk}/do/return/"
    r = c.post(url, {"reason": "   "})
    assert (
        r.status_code == 400 and 'aria-invalid="true"' in r.content.decode() and "理由" in r.content.decode()
    )
    assert c.post(url, {"reason": "简介过短"}).status_code == 302
    other = client_for(make_user(Role.STAFF))
    r = other.post(url, {"reason": "请补充知识产权号"})
    body = r.content.decode()
    assert r.status_code == 409 and "此事项已由" in body and "请补充知识产权号" in body
    r = other.post(f"/registry/results/{reg.pk}/do/approve/", {"confirm": "1", "reason": "材料齐全"})
    assert r.status_code == 409 and "退回修改" in r.content.decode()
    reg.refresh_from_db()
    assert reg.status == "returned" and reg.note == "简介过短"
    # the filer's second click on submit
    a = client_for(applicant)
    assert a.post(f"/registry/results/{reg.pk}/do/submit/").status_code == 302
    assert a.post(f"/registry/results/{reg.pk}/do/submit/").status_code == 409


@pytest.mark.django_db
def test_a_contracts_page_writes_its_amounts_as_money(client_for, english_client_for, staff):
    """The amounts read "28.00" under "合同成交额（万元）" (people34): money, as the funds pages write it."""
    c = _contract(
        staff, UnitFactory(kind="university"), UnitFactory(kind="enterprise"), "licence", "28", "12.5"
    )
    zh = client_for(staff).get(c.get_absolute_url()).content.decode()
    assert "<dd>28 万元</dd>" in zh and "<dd>12.5 万元</dd>" in zh and "28.00" not in zh
    en = english_client_for(staff).get(c.get_absolute_url()).content.decode()
    assert "<dd>CNY 280,000</dd>" in en and "<dd>CNY 125,000</dd>" in en


@pytest.mark.django_db
def test_the_contract_list_writes_its_amounts_as_money(client_for, english_client_for, staff):
    """The list read "28.00" and "12.50" under "合同成交额（万元）" (people36), as the contract's page had."""
    _contract(staff, UnitFactory(kind="university"), UnitFactory(kind="enterprise"), "licence", "28", "12.5")
    zh = client_for(staff).get("/registry/contracts/").content.decode()
    assert '<td class="num">28 万元</td><td class="num">12.5 万元</td>' in zh and "28.00" not in zh
    en = english_client_for(staff).get("/registry/contracts/").content.decode()
    assert '<td class="num">CNY 280,000</td><td class="num">CNY 125,000</td>' in en
