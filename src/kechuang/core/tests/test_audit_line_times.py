"""The audit lines' times written by kechuang.core.dates are the `date` filter's DATETIME_FORMAT text (issue #19:
the filter's formatter was the dearest part of a row of the audit log), in any time zone and both languages."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from kechuang.core.display import AuditLine

TIMES = [
    datetime.datetime(2026, 12, 4, 0, 0, 0, tzinfo=datetime.UTC),
    datetime.datetime(2026, 3, 29, 1, 59, 59, 999999, tzinfo=datetime.UTC),
    datetime.datetime(2024, 2, 29, 23, 5, 7, tzinfo=datetime.UTC),
    datetime.datetime(2001, 1, 1, 16, 0, 9, tzinfo=datetime.UTC),
]


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC", "Europe/Berlin", "America/New_York"])
def test_at_texts_equal_the_date_filter(zone, lang):
    template = Template(
        '{{ e.at|date:"DATETIME_FORMAT" }}|{{ e.at|date:"s" }}|{{ e.at_seconds }}|{{ e.at_minutes }}'
    )
    with timezone.override(zone), translation.override(lang):
        for at in TIMES:
            line = AuditLine(at=at, who="", what="", object="")
            minutes, secs, new_seconds, new_minutes = template.render(Context({"e": line})).split("|")
            assert (new_seconds, new_minutes) == (f"{minutes}:{secs}", minutes), (zone, at)
