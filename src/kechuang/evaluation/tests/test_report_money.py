"""An evaluated platform's yearly report shows its funding as money (people36: it read "1500.00" under
"经费（万元）" on the entry's page)."""

import pytest

from kechuang.platforms.tests.factories import YearlyReportFactory

from .factories import EntryFactory

pytestmark = pytest.mark.django_db


def test_an_entrys_report_writes_its_funding_as_money(client_for, english_client_for, staff):
    entry = EntryFactory()
    YearlyReportFactory(
        platform=entry.platform, year=entry.campaign.year, funding="1500.00", status="accepted"
    )
    url = f"/evaluation/entries/{entry.pk}/"
    zh = client_for(staff).get(url).content.decode()
    assert "<dt>经费</dt><dd>1500 万元</dd>" in zh and "1500.00" not in zh
    assert "<dd>CNY 15 million</dd>" in english_client_for(staff).get(url).content.decode()
