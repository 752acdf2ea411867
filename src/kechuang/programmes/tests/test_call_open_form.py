"""The 开启申报批次 form on a published version: its year starts at this year, and a refused post keeps what
was typed (year included)."""

import re

from django.utils import timezone

from kechuang.programmes import definitions, transfer
from kechuang.programmes.models import Call


def _year_value(page: str) -> str:
    tag = re.search(r'<input[^>]*name="year"[^>]*>', page).group(0)
    return re.search(r'value="([^"]*)"', tag).group(1)


def test_the_year_starts_at_this_year_and_a_refused_post_keeps_the_typed_one(client, staff):
    version = transfer.import_programme(actor=staff, raw=definitions.read("provincial_rd.json"))
    client.force_login(staff)
    page = client.get(version.get_absolute_url()).content.decode()
    assert _year_value(page) == str(timezone.localdate().year)
    refused = client.post(version.get_absolute_url(), {"title": "", "year": "2031"})
    assert refused.status_code == 400 and not Call.objects.exists()
    assert _year_value(refused.content.decode()) == "2031"
