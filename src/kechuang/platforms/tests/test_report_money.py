"""A yearly report's funding reads as money in the page's language (it read "1500.00" under "经费（万元）",
people34)."""

import pytest

from .factories import YearlyReportFactory

pytestmark = pytest.mark.django_db


def test_a_reports_funding_is_money(client_for, english_client_for, staff):
    report = YearlyReportFactory(funding="1500.00")
    url = report.get_absolute_url()
    zh = client_for(staff).get(url).content.decode()
    assert "<dt>年度经费</dt><dd>1500 万元</dd>" in zh and "1500.00" not in zh
    en = english_client_for(staff).get(url).content.decode()
    assert "<dd>CNY 15 million</dd>" in en
