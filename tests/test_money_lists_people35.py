"""Lists and pages that wrote money bare under a “（万元）” heading write it as people do (walked, session 34,
people35): the technology-contract list (“合同成交额（万元）” over 300), a platform's yearly reports (“经费（万元）”
over 1000.00, on the reports list, the platform's page and the evaluation entry), the results list and the award
publicity — 300 万元 / CNY 3 million under a heading without the unit, as the funds pages write it."""

import datetime
from decimal import Decimal

import pytest

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db


def test_the_technology_contract_list_writes_amounts_as_money(make_user, client_for, english):
    from kechuang.registry import services

    a, b = UnitFactory(kind="university"), UnitFactory(kind="enterprise")
    staff = make_user(Role.STAFF)
    services.contract_create(
        actor=staff,
        seller=a,
        buyer=b,
        title="许可合同",
        kind="licence",
        field="materials",
        amount=Decimal("300"),
        tech_amount=Decimal("280"),
        signed_on=datetime.date(2025, 6, 1),
    )
    c = client_for(staff)
    page = c.get("/registry/contracts/").content.decode()
    assert "300 万元" in page and "280 万元" in page and "（万元）" not in page
    english(c)
    page = c.get("/registry/contracts/").content.decode()
    assert "CNY 3 million" in page and "CNY 2.8 million" in page and "10,000" not in page


def test_a_platforms_yearly_reports_write_funding_as_money(make_user, client_for, english):
    from kechuang.platforms.tests.factories import YearlyReportFactory

    report = YearlyReportFactory(submitted=True, funding=Decimal("1000"))
    c = client_for(make_user(Role.STAFF))
    for url in ("/platforms/reports/", report.platform.get_absolute_url()):
        page = c.get(url).content.decode()
        assert "1000 万元" in page and "经费（万元）" not in page and "1000.00" not in page, url
    english(c)
    for url in ("/platforms/reports/", report.platform.get_absolute_url()):
        page = c.get(url).content.decode()
        assert "CNY 10 million" in page and "(CNY 10,000)" not in page, url
