"""Conflict rules one by one, and the affinity's text and discipline parts."""

import datetime

import pytest

from kechuang.core.reviewable import Person, ReviewSubject
from kechuang.review import affinity as A
from kechuang.review.conflicts import ExpertFacts, PastUnit, conflict_reasons

TODAY = datetime.date(2026, 6, 1)
SUBJECT = ReviewSubject(
    title="碳化硅",
    unit_ids=(10,),
    people=(Person("郑总工", user_id=5, unit_id=10, role="leader"), Person("王 伟", role="member")),
    excluded_unit_ids=(30,),
    excluded_names=("李四",),
    city="太原",
)


def rules(expert, **kw):
    return [rule for rule, _ in conflict_reasons(SUBJECT, expert, today=TODAY, **kw)]


def test_free_expert_has_no_conflict():
    assert rules(ExpertFacts(user_id=1, name="张三", unit_id=20, city="太原")) == []


@pytest.mark.parametrize(
    ("expert", "rule"),
    [
        (ExpertFacts(user_id=5, name="郑总工", unit_id=20), "self"),
        (ExpertFacts(user_id=1, name="张三", unit_id=10), "same_unit"),
        (ExpertFacts(user_id=1, name="张三", unit_id=20, collaborator_names=("王伟",)), "collaborator"),
        (ExpertFacts(user_id=1, name="张三", unit_id=30), "excluded_unit"),
        (ExpertFacts(user_id=1, name="李四", unit_id=20), "excluded_person"),
        (ExpertFacts(user_id=1, name="张三", unit_id=20, declared_unit_ids=(10,)), "declared"),
        (ExpertFacts(user_id=1, name="张三", unit_id=20, declared_subject_keys=("7:9",)), "declared"),
    ],
)
def test_each_rule_fires_with_a_reason(expert, rule):
    found = conflict_reasons(SUBJECT, expert, today=TODAY, subject_key="7:9")
    assert [r for r, _ in found] == [rule]
    assert all(reason for _, reason in found)


def test_past_unit_within_n_years_only():
    recent = ExpertFacts(
        user_id=1,
        name="张三",
        unit_id=20,
        past_units=(PastUnit(10, "飞车公司", None, datetime.date(2022, 3, 1)),),
    )
    old = ExpertFacts(
        user_id=1,
        name="张三",
        unit_id=20,
        past_units=(PastUnit(10, "飞车公司", None, datetime.date(2019, 3, 1)),),
    )
    assert rules(recent, conflict_years=5) == ["past_unit"]  # 2022 >= 2026 - 5
    assert rules(old, conflict_years=5) == []  # 2019 < 2021
    assert rules(old, conflict_years=7) == ["past_unit"]


def test_same_city_rule_is_optional():
    e = ExpertFacts(user_id=1, name="张三", unit_id=20, city="太原")
    assert rules(e, same_city_rule=False) == []
    assert rules(e, same_city_rule=True) == ["same_city"]


def test_discipline_prefix_levels():
    assert A.discipline_similarity(["430.2510"], ["430.2510"]) == 1.0
    assert A.discipline_similarity(["430.2510"], ["430.2520"]) == pytest.approx(2 / 3)
    assert A.discipline_similarity(["430.25"], ["430.30"]) == pytest.approx(1 / 3)
    assert A.discipline_similarity(["430.25"], ["180.14"]) == 0.0


def test_affinity_ranks_the_matching_expert_first_and_explains_it():
    subjects = [A.Doc("碳化硅单晶衬底生长工艺，面向功率半导体器件", ("碳化硅",), ("430.25",))]
    experts = [
        A.Doc("长期从事宽禁带半导体碳化硅材料与器件研究", ("碳化硅", "半导体"), ("430.2510",)),
        A.Doc("重组人源胶原蛋白的发酵与纯化", ("胶原蛋白",), ("180.14",)),
    ]
    model = A.fit(subjects, experts)
    m = A.matrix(model).toarray()
    assert m[0, 0] > 0.3 and m[0, 1] == 0.0
    why = A.explain(model, 0, 0)
    assert "碳化硅" in why["terms"]
    assert why["discipline_level"] == 2 and why["disciplines"] == ["430", "430.25"]
    assert why["affinity"] == pytest.approx(m[0, 0], abs=1e-6)
    top = A.matrix(model, top_n=1)
    assert top.nnz == 1 and top[0, 0] == pytest.approx(m[0, 0])


def test_tokenize_drops_stop_words_and_single_characters():
    words = A.tokenize("基于深度学习的量子密钥分发研究")
    assert "量子" in words or "量子密钥" in words
    assert "的" not in words and "研究" not in words and "基于" not in words


@pytest.mark.parametrize("typed", ["太原", "太原市", "Taiyuan", " 太原 "])
def test_same_city_rule_reads_the_division_not_the_spelling(typed):
    # a unit's city is stored as the division's full name since cities are picked (太原市); an expert's may be
    # typed as before (太原, Taiyuan): the rule must still see one city
    subject = ReviewSubject(title="碳化硅", unit_ids=(10,), city="太原市")
    e = ExpertFacts(user_id=1, name="张三", unit_id=20, city=typed)
    found = conflict_reasons(subject, e, today=TODAY, same_city_rule=True)
    assert [r for r, _ in found] == ["same_city"]


def test_same_city_rule_tells_cities_apart():
    subject = ReviewSubject(title="碳化硅", unit_ids=(10,), city="太原市")
    for other in ("大同市", "大同", "晋中", "不明城"):
        e = ExpertFacts(user_id=1, name="张三", unit_id=20, city=other)
        assert conflict_reasons(subject, e, today=TODAY, same_city_rule=True) == []
