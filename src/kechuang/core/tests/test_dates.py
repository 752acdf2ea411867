"""One written form per kind and language (FORMAT_MODULE_PATH = kechuang.formats): 2026年12月4日 / 2026年12月4日
22:32 in Chinese, 4 Dec 2026 / 4 Dec 2026 22:32 in English, the same from the `date` filter and from
kechuang.core.dates; a page lists a moment that way in both languages; no template writes "Y-m-d" for people."""

import datetime
import pathlib
import re

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import timezone, translation

from kechuang.core.dates import date_text, when_text

MOMENT = datetime.datetime(2026, 12, 4, 14, 32, 5, tzinfo=datetime.UTC)  # 22:32 in Shanghai
EXPECTED = {
    "zh-hans": ("2026年12月4日", "2026年12月4日 22:32"),
    "en": ("4 Dec 2026", "4 Dec 2026 22:32"),
}
SRC = pathlib.Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("lang", EXPECTED)
def test_filter_and_python_text_agree(lang):
    template = Template('{{ d|date }}|{{ t|date:"DATETIME_FORMAT" }}|{{ t|date }}')
    with translation.override(lang), timezone.override("Asia/Shanghai"):
        day, moment, moment_day = template.render(Context({"d": MOMENT.date(), "t": MOMENT})).split("|")
        assert (day, moment) == EXPECTED[lang]
        assert moment_day == day
        assert (date_text(MOMENT.date()), when_text(MOMENT)) == EXPECTED[lang]
        assert when_text(MOMENT, seconds=True) == EXPECTED[lang][1] + ":05"
    with translation.override(lang), timezone.override("UTC"):
        for month in range(1, 13):
            d = datetime.date(2025, month, 28)
            assert date_text(d) == Template("{{ d|date }}").render(Context({"d": d}))


@pytest.mark.parametrize("lang", EXPECTED)
def test_notifications_page_shows_the_chosen_form(lang, client, staff):
    from kechuang.core.notifications import notify

    (n,) = notify(recipients=[staff], title="T", body="B", email=False)
    type(n).objects.filter(pk=n.pk).update(created_at=MOMENT)
    client.force_login(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    body = client.get("/notifications/").content.decode()
    assert EXPECTED[lang][1] in body
    assert "2026-12-04" not in body


def test_no_template_writes_iso_dates_for_people():
    """'Y-m-d' only as a machine value (an <input type="date">'s value, a hidden field, a query string)."""
    offenders = []
    for path in SRC.glob("*/templates/**/*.html"):
        for n, line in enumerate(path.read_text().splitlines(), 1):
            for m in re.finditer(r"\|date:(['\"])([^'\"]*)\1", line):
                fmt = m.group(2)
                if fmt.endswith("_FORMAT"):
                    continue
                before = line[: m.start()]
                if fmt == "Y-m-d" and (re.search(r"=\"?\{\{ [\w.]+$", before) or 'type="date"' in line):
                    continue
                offenders.append(f"{path.relative_to(SRC)}:{n}: {fmt}")
    assert not offenders, offenders
