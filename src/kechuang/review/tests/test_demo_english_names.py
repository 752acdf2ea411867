"""The demo's scoring criteria, its review form and its rounds are named in English too, so the demo reads in
English on English pages (the criteria of the challenges' demo lists as well)."""

from django.utils import translation

from kechuang.challenges import demo as challenges_demo
from kechuang.review import demo
from kechuang.review.models import Criterion


def test_every_demo_criterion_has_an_english_name():
    for criteria in (demo.CRITERIA, challenges_demo.CRITERIA):
        assert [c["code"] for c in criteria if not c.get("name_en", "").strip()] == []
    assert demo.FORM_NAME_EN and demo.ROUND_TITLE_EN


def test_a_demo_criterion_reads_in_english_on_english_pages():
    c = Criterion(name=demo.CRITERIA[0]["name"], name_en=demo.CRITERIA[0]["name_en"])
    with translation.override("en"):
        assert str(c) == "Technical advancement"
    assert str(c) == "技术先进性"
