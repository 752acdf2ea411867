"""The GB/T 13745 table (core.disciplines): read as data, codes in every spelling, names both ways."""

import csv
import re

from django.utils import translation

from kechuang.core import disciplines as D


def test_table_has_every_first_and_second_level_entry_once_and_each_under_its_parent():
    rows = list(csv.DictReader(D.DATA.open(encoding="utf-8")))
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes)) == len([c for c in D.table() if len(c) != 8])
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


def test_third_level_file_lists_the_2732_entries_each_under_a_second_level_entry():
    rows = list(csv.DictReader(D.DATA_LEVEL3.open(encoding="utf-8")))
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes)) == 2732
    assert all(re.fullmatch(r"\d{3}\.\d{4}", c) and r["name_zh"] for c, r in zip(codes, rows, strict=True))
    assert not set(codes) & {c for c in D.table() if len(c) != 8}  # no code in both files
    # every parent is a second-level entry, except 发展心理学's children, which both copies number 19035xx
    # while the second level lists 发展心理学 as 190.30 (see data/SOURCE.md)
    orphans = sorted(c for c in codes if c[:6] not in D.table())
    assert orphans == ["190.3510", "190.3520", "190.3530", "190.3540", "190.3599"]
    assert D.table()["460.3020"].name_zh == "切削刀具" and D.table()["460.3020"].level == 3
    assert D.table()["520.2020"].name_zh == "自然语言处理"
    assert D.table()["790.7356"].name_zh == "金融工程学"
    # read in the standard's order: an entry's children right after it
    order = list(D.table())
    assert order.index("460.30") + 1 == order.index("460.3010") and order.index(
        "460.3099"
    ) + 1 == order.index("460.35")


def test_codes_are_read_in_any_spelling_and_shown_as_their_names():
    assert D.normalise(" 46030 ") == D.normalise("460．30") == "460.30"
    assert D.normalise("4603020") == "460.3020"
    assert D.label("460.30") == "机械工程 › 刀具技术"
    assert D.label("460.3020") == "机械工程 › 刀具技术 › 切削刀具"
    assert D.short_label("460.3020") == "切削刀具"
    # a third-level code that the table does not list still reads by its known ancestors
    assert D.label("460.3098") == "机械工程 › 刀具技术（下属三级学科）"
    assert D.label("999.99") == "未知学科（999.99）"
    with translation.override("en"):
        assert D.label("110") == "Mathematics"
        assert D.label("110.21") == "Mathematics › Algebra"
        # the third level has Chinese names only: marked, so that a reader sees it is not a slip
        assert (
            D.label("460.3020")
            == "Mechanical Engineering › Cutting Tool Technology › 切削刀具 (Chinese name only)"
        )
        assert D.short_label("460.3020") == "切削刀具 (Chinese name only)"
        assert D.label("460.3098").startswith("Mechanical Engineering › Cutting Tool Technology")
    # a row without an English name is shown by its Chinese one
    assert D.Discipline("999", "某学科").name(english=True) == "某学科"


def test_resolve_accepts_codes_names_paths_and_english_names():
    assert D.resolve("代数学") == D.resolve("数学 › 代数学") == D.resolve("数学/代数学") == "110.21"
    assert D.resolve("11021") == "110.21" and D.resolve("mathematics") == "110"
    assert D.resolve("460.3020") == "460.3020"
    assert D.resolve("460.3098") == "460.3098"  # a third level not in the table, under a known second level
    assert D.resolve("切削刀具") == D.resolve("机械工程/刀具技术/切削刀具") == "460.3020"
    # a name two levels share means the higher level
    assert D.resolve("心理语言学") == "740.30" and D.resolve("农产品贮藏与加工") == "210.45"
    assert D.resolve("不存在的学科") is None and D.resolve("999") is None and D.resolve("") is None


def test_search_by_name_pinyin_english_and_code_best_first():
    assert D.search("代数学")[0].code == "110.21"
    assert D.search("切削刀具")[0].code == "460.3020"  # a third-level name
    assert "460.3020" in [d.code for d in D.search("qxdj")]
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
