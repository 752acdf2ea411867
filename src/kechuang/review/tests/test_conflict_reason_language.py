"""A conflict's reason is stored in Chinese when a round is assigned and read in the page's language: each
rule's sentence read back in English is the sentence the rule writes in English; a typed reason as typed."""

import datetime

import pytest
from django.utils import translation

from kechuang.core.reviewable import Person, ReviewSubject
from kechuang.review.conflicts import ExpertFacts, PastUnit, conflict_reasons, reason_text

TODAY = datetime.date(2026, 12, 4)
SUBJECT = ReviewSubject(
    title="t",
    unit_ids=(1, 2),
    people=(Person(name="王五", user_id=9), Person(name="李四")),
    excluded_unit_ids=(1,),
    excluded_names=("张三",),
    city="兰州",
)
EXPERTS = [
    ExpertFacts(user_id=9, name="王五"),
    ExpertFacts(
        user_id=1, name="张三", unit_id=1, unit_name="兰州大学", city="兰州", collaborator_names=("李四",)
    ),
    ExpertFacts(
        user_id=2,
        name="赵六",
        unit_id=5,
        past_units=(PastUnit(2, "兰州理工大学", datetime.date(2020, 1, 1), datetime.date(2024, 3, 31)),),
        declared_unit_ids=(2,),
    ),
    ExpertFacts(user_id=3, name="钱七", past_units=(PastUnit(2, "兰州理工大学", None, None),)),
    ExpertFacts(user_id=4, name="孙八", declared_subject_keys=("7:9",)),
    ExpertFacts(user_id=5, name="周九", declared_names=("李四",)),
]


def reasons(expert):
    return conflict_reasons(SUBJECT, expert, today=TODAY, same_city_rule=True, subject_key="7:9")


@pytest.mark.parametrize("expert", EXPERTS)
def test_a_stored_reason_reads_as_the_rule_writes_it_in_each_language(expert):
    with translation.override("zh-hans"):
        stored = reasons(expert)
        assert stored and [reason_text(r) for _, r in stored] == [r for _, r in stored]
    with translation.override("en"):
        english = [r for _, r in reasons(expert)]
        assert [reason_text(r) for _, r in stored] == english
    data = ("兰州大学", "兰州理工大学", "李四", "兰州")  # the data the reasons name, kept as stored
    assert not any(
        "\u4e00" <= ch <= "\u9fff"
        for r in english
        for ch in r.replace(data[0], "").replace(data[1], "").replace(data[2], "").replace(data[3], "")
    ), english


def test_the_english_reasons_read_in_english_and_a_typed_reason_as_typed():
    with translation.override("en"):
        same_unit = reason_text("专家现在所在单位“兰州大学”是申报单位或团队成员单位。")
        assert "兰州大学" in same_unit and "专家" not in same_unit
        assert "31 Mar 2024" in reason_text("专家5年内曾在“兰州理工大学”工作（至2024年3月31日）。")
        assert reason_text("我与该单位有合作项目。") == "我与该单位有合作项目。"
