"""The report-import list names its count column by what it counts: "Facts" in English (not "Fact")."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_fact_count_column_is_plural_in_english(english_client_for, client_for, staff):
    from kechuang.ingest import services

    # a list with a row: an empty one shows the shared empty state, not the table's headings
    services.document_ingest(actor=staff, data="全省新建重点实验室12个。".encode(), filename="a.txt")
    assert (
        '<th class="num">Facts</th>'
        in english_client_for(staff).get(reverse("ingest:document-list")).content.decode()
    )
    assert (
        '<th class="num">事实</th>' in client_for(staff).get(reverse("ingest:document-list")).content.decode()
    )
