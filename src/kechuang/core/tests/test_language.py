"""core.language: the one place that asks whether the reader reads English and names a thing in their language."""

import subprocess
from pathlib import Path

from django.utils import translation

from kechuang.core import dates, disciplines, divisions, language

SRC = Path(language.__file__).resolve().parents[1]


def test_english_follows_the_active_language():
    with translation.override("en"):
        assert language.english()
    with translation.override("zh-hans"):
        assert not language.english()
    with translation.override(None):
        assert not language.english()


def test_local_name_takes_the_english_form_only_on_an_english_page_and_only_when_it_has_text():
    with translation.override("en"):
        assert language.local_name("山西省", "Shanxi") == "Shanxi"
        assert language.local_name("山西省", "  ") == "山西省"
        assert language.local_name("山西省", "") == "山西省"
        assert language.local_name("山西省", "Shanxi", english=False) == "山西省"
    with translation.override("zh-hans"):
        assert language.local_name("山西省", "Shanxi") == "山西省"
        assert language.local_name("山西省", "Shanxi", english=True) == "Shanxi"
    assert language.local_name(None) == ""


def test_divisions_disciplines_and_dates_ask_the_one_helper():
    with translation.override("en"):
        assert divisions.name("140000") == "Shanxi"
        assert disciplines.get("110").name() == "Mathematics"
        assert dates.date_text(__import__("datetime").date(2026, 12, 5)) == "5 Dec 2026"
    with translation.override("zh-hans"):
        assert divisions.name("140000") == "山西省"
        assert dates.date_text(__import__("datetime").date(2026, 12, 5)) == "2026年12月5日"


def test_no_module_tests_the_language_code_itself():
    """`startswith("en")` on a language code is written once, in core.language."""
    out = subprocess.run(
        ["grep", "-rlE", r"""startswith\(["']en["']\)""", "--include=*.py", str(SRC)],
        capture_output=True,
        text=True,
    ).stdout.split()
    found = sorted(str(Path(p).relative_to(SRC)) for p in out if "/tests/" not in p)
    assert found == ["core/language.py"]
