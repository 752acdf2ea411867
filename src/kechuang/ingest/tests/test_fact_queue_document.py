"""The fact queue's ?document= (a report's link to its facts, no list to choose it from): the report it is
shown for is named on the page; one not found — not a number, or no such report — is said beside the filters
as the other lists say theirs, and the facts of every report are shown (it was silently ignored; usable10)."""

import pytest
from django.urls import reverse

from .factories import DocumentFactory, FactFactory

pytestmark = pytest.mark.django_db


def test_the_report_is_named_and_only_its_facts_shown(client_for, staff):
    one, other = DocumentFactory(title="甲省科技年报"), DocumentFactory(title="乙省科技年报")
    FactFactory(document=one, subject="重点实验室")
    FactFactory(document=other, subject="工程中心")
    page = client_for(staff).get(reverse("ingest:fact-queue") + f"?document={one.pk}").content.decode()
    assert f'<a href="{one.get_absolute_url()}">甲省科技年报</a>' in page
    assert "重点实验室" in page and "工程中心" not in page and 'role="alert"' not in page


@pytest.mark.parametrize("raw", ["abc", "999999"])
def test_a_report_not_found_is_said_and_everything_shown(client_for, staff, raw, english):
    FactFactory(document=DocumentFactory(title="甲省科技年报"), subject="重点实验室")
    client = client_for(staff)
    r = client.get(reverse("ingest:fact-queue") + f"?document={raw}")
    page = r.content.decode()
    assert (
        r.status_code == 200 and f"“{raw}”不是可查看的报告；下面显示全部。" in page and "重点实验室" in page
    )
    english(client)
    page = client.get(reverse("ingest:fact-queue") + f"?document={raw}").content.decode()
    assert f"“{raw}” is not a report you can see. Showing everything instead." in page
    r = client.get(reverse("ingest:fact-queue") + f"?document={raw}&export=xlsx")
    assert r.status_code == 400  # an export is not made for a filter it cannot honour, as for the lists
