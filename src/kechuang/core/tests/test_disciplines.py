"""The GB/T 13745 table (core.disciplines): read as data, codes in every spelling, names both ways."""

import csv
import re

from django.utils import translation

from kechuang.core import disciplines as D


def test_table_has_every_first_and_second_level_entry_once_and_each_under_its_parent():
    rows = list(csv.DictReader(D.DATA.open(encoding="utf-8")))
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes)) == len(D.table())
    first = [c for c in codes if "." not in c]
    second = [c for c in codes if "." in c]
    assert len(first) == 62 and len(second) >= 676
    assert all(re.fullmatch(r"\d{3}", c) for c in first)
    assert all(re.fullmatch(r"\d{3}\.\d{2}", c) and c[:3] in D.table() for c in second)
    # every entry has a Chinese and an English name
    assert all(r["name_zh"] and r["name_en"] for r in rows)
    # spot checks against the standard (GB/T 13745-2009 and its amendments)
    assert D.table()["110.21"].name_zh == "代数学"
    assert D.table()["535.10"].name_zh == "仪器仪表技术"  # moved from 460.40 in 2009
    assert D.table()["190"].name_zh == "心理学"


def test_codes_are_read_in_any_spelling_and_shown_as_their_names():
    assert D.normalise(" 46030 ") == D.normalise("460．30") == "460.30"
    assert D.normalise("4603020") == "460.3020"
    assert D.label("460.30") == "机械工程 › 刀具技术"
    assert D.label("460.3020") == "机械工程 › 刀具技术（下属三级学科）"
    assert D.label("999.99") == "未知学科（999.99）"
    with translation.override("en"):
        assert D.label("110") == "Mathematics"
        assert D.label("110.21") == "Mathematics › Algebra"
    # a row without an English name is shown by its Chinese one
    assert D.Discipline("999", "某学科").name(english=True) == "某学科"


def test_resolve_accepts_codes_names_paths_and_english_names():
    assert D.resolve("代数学") == D.resolve("数学 › 代数学") == D.resolve("数学/代数学") == "110.21"
    assert D.resolve("11021") == "110.21" and D.resolve("mathematics") == "110"
    assert D.resolve("460.3020") == "460.3020"  # a third level under a known second level
    assert D.resolve("不存在的学科") is None and D.resolve("999") is None and D.resolve("") is None


def test_search_by_name_pinyin_english_and_code_best_first():
    assert D.search("代数学")[0].code == "110.21"
    assert "110.21" in [d.code for d in D.search("dsx")]  # pinyin initials
    assert "110.21" in [d.code for d in D.search("daishu")]  # full pinyin
    assert D.search("materials")[0].code == "430"
    assert D.search("algebra")[0].code == "110.21"
    assert [d.code for d in D.search("430")][:2] == ["430", "430.10"]
    assert D.search("") == [] and len(D.search("学", limit=20)) == 20


def test_parse_list_keeps_names_holding_the_list_separator_whole():
    codes, unknown = D.parse_list("畜牧、兽医科学、代数学，430.25；不存在")
    assert codes == ["230", "110.21", "430.25"] and unknown == ["不存在"]
    assert D.parse_list(["110", "110"]) == (["110"], [])
