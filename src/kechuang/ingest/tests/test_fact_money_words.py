"""An amount a report wrote in 万元 or 亿元 reads in English as the funds pages show money (CNY 3 billion, CNY
300,000), not "about 30 100 million yuan"; a fact's str() (the admin's, any message's) shows its figure with its
qualifier in the reader's language (1200余家 / over 1,200 organisations)."""

import pytest
from django.utils import translation

from kechuang.accounts.models import Role
from kechuang.ingest.figures import figure_words, money_words
from kechuang.ingest.models import Fact


@pytest.mark.parametrize(
    ("number", "unit", "qualifier", "zh", "en"),
    [
        ("30", "亿元", "约", "约30亿元", "about CNY 3 billion"),
        ("1.25", "亿元", "", "1.25亿元", "CNY 125 million"),
        ("30", "万元", "", "30万元", "CNY 300,000"),
        ("1800", "亿元", "超过", "超过1800亿元", "over CNY 180 billion"),
        ("2", "万亿元", "", "2万亿元", "CNY 2 trillion"),
        ("30", "亿元", "余", "30余亿元", "over CNY 3 billion"),
        ("500", "万元", "以上", "500万元以上", "CNY 5 million or more"),
        ("350", "元", "", "350元", "CNY 350"),
    ],
)
def test_money_reads_in_yuan_words_in_english(number, unit, qualifier, zh, en):
    assert figure_words(number, unit, qualifier, english=False, unit_local=unit) == zh
    assert figure_words(number, unit, qualifier, english=True, unit_local="100 million yuan") == en


def test_what_is_no_amount_of_yuan_is_left_as_written():
    assert money_words("30", "万美元") is None
    assert money_words("三十", "亿元") is None
    assert figure_words("30", "万美元", "", english=True, unit_local="万美元") == "30万美元"


TEXT = "2024年全省科技工作总结\n2024年，全省高新技术企业达到1200余家，研发投入约30亿元。\n"


@pytest.mark.django_db
def test_a_facts_str_shows_its_figure_with_the_qualifier_in_the_readers_language(make_user):
    from kechuang.ingest.services import document_ingest

    document, _created = document_ingest(actor=make_user(Role.STAFF), data=TEXT.encode(), filename="r.txt")
    count = Fact.objects.get(document=document, kind="count")
    assert count.qualifier == "余"
    with translation.override("zh-hans"):
        assert str(count).endswith("1200余家")
    with translation.override("en"):
        assert str(count).endswith("over 1,200 organisations")
    money = Fact.objects.filter(document=document, unit="元").first()
    if money is not None:
        with translation.override("en"):
            assert "CNY 3 billion" in str(money)
