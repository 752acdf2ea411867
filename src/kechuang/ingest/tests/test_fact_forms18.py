"""Issue #15 item 4: forms of facts the dev16 split showed (session 24, helper facts18), each read from the genre's
grammar. The sentences are written for the tests (fictional places), not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.parsers import extract_facts
from kechuang.ingest.tests.facts import placed as _placed
from kechuang.ingest.tests.facts import read as _read

_DIGITS = "零一二三四五六七八九"


def _words(n: int) -> str:
    """1 … 9999 in Chinese numerals as a report writes them (一千二百, 六百, 三十五, 十五)."""
    out, zero = "", False
    for value, place in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero and out:
                out += "零"
            out += ("" if (value == 10 and not out and d == 1) else _DIGITS[d]) + place
            zero = False
        elif out:
            zero = True
    return out


@given(st.integers(2, 9), st.sampled_from(["百", "千"]), st.sampled_from(["平方米", "立方米"]))
def test_areas_and_volumes_in_words(d, place, unit):
    """六百平方米, 三千立方米: a numeral of hundreds or thousands in words before 平方米 or 立方米 is read (the scan's
    first-character class lacked 平 and 立)."""
    value = d * (100 if place == "百" else 1000)
    assert ("quantity", str(value), unit, "2025") in _read(f"新建厂房{_DIGITS[d]}{place}{unit}，已投入使用。")


def test_an_area_in_words_per_hour_is_a_rate():
    """每小时可生产地板六百平方米 (平方米/小时), as 每小时可加工竹片1.8吨."""
    assert ("quantity", "600", "平方米/小时", "2025") in _read(
        "新生产线每小时可生产地板六百平方米，产品远销海外。"
    )


@given(st.integers(2, 99), st.integers(2, 99), st.sampled_from(["扩大到", "提高到", "增加至", "压减至"]))
def test_yi_without_yuan_before_a_movement(a, b, verb):
    """规模要从现在的二十亿扩大到五十亿 (speech): the movement's start in 亿 without 元 is an amount too, as its end."""
    facts = _read(f"省里的引导基金，规模要从现在的{_words(a)}亿{verb}{_words(b)}亿。")
    assert ("money", str(a * 100_000_000), "元", "2025") in facts
    assert any(f[1] == str(b * 100_000_000) and f[2] == "元" for f in facts)


def test_wan_without_yuan_before_an_order():
    """去年一年就签了三千多万的大单子: 万 before 的(大)单子 or 的合同 is money (of last year here)."""
    assert ("money", "30000000", "元", "2024") in _read(
        "有家研究院去年一年就签了三千多万的大单子，这在以前想都不敢想。"
    )
    assert ("money", "5000000", "元", "2025") in _read("今年学院签了五百万的合同。")


def test_a_clause_opening_on_they_goes_on_with_another_province():
    """汧溟省科学技术厅去年布局了十二个中试基地，他们的…增速比我们高出五个百分点: 他们 is the province before."""
    facts = _placed(
        "汧溟省科学技术厅去年布局了十二个中试基地，他们的技术合同成交额增速比我们高出五个百分点。"
    )
    assert ("5", "百分点", "2025", "汧溟省") in facts
    assert ("12", "个", "2024", "汧溟省") in facts


@given(st.integers(2, 9))
def test_years_in_words_of_a_cycle(n):
    """基地实行五年一个周期的动态管理: how long a cycle lasts (三年行动, 三年来 stay refused)."""
    assert ("quantity", str(n), "年", "2025") in _read(
        f"基地实行{_DIGITS[n]}年一个周期的动态管理，每年开展评价。"
    )
    assert not any(f[2] == "年" for f in _read(f"实施{_DIGITS[n]}年行动计划。"))


def test_a_plan_heading_of_next_year_said_as_mingnian():
    """三、明年工作打算 in a 2025 report: each clause of its section is a 2026 target, as under 三、2026年工作打算 (the
    clauses after the first ； too); the section before stays the report's."""
    text = (
        "篁岭县2025年科技工作情况报告\n二、存在的问题\n县内研发人员不足三十人。\n三、明年工作打算\n"
        "明年，县科技局将重点抓好以下工作：高新技术企业力争达到三十五家；争取建成省级创新基地一家；"
        "全年开展技术服务不少于二百场；县财政科技专项资金增长不低于百分之十五。\n"
    )
    facts = {f[1:] for f in _read(text)}
    assert {("35", "家", "2026"), ("1", "家", "2026"), ("200", "场", "2026"), ("15", "%", "2026")} <= facts
    assert ("30", "人", "2025") in facts


def test_all_of_those_there_are_now_in_a_sentence_of_next_year():
    """明年将把里程碑管理推广到全部1800余名特派员: the 1800 are those there are now, not next year's target;
    明年将新增特派员200名 stays a target."""
    assert ("count", "1800", "名", "2025") in _read(
        "负责人表示，明年将把里程碑管理推广到全部1800余名省级科技特派员。"
    )
    assert ("target", "200", "名", "2026") in _read("负责人表示，明年将新增省级科技特派员200名。")


def test_next_year_said_after_a_movement_dates_its_end_only():
    """规模要从现在的二十亿扩大到五十亿，明年就要见效: the end is next year's target, the start (in words, before it in
    the clause) stays now, as 由14个月缩短至10个月，明年实现."""
    facts = _read("省里的引导基金，规模要从现在的二十亿扩大到五十亿，明年就要见效。")
    assert ("money", "2000000000", "元", "2025") in facts
    assert ("target", "5000000000", "元", "2026") in facts
    facts = _read("育苗能力从二千万株提高到五千万株，明年就能投用。")
    assert ("count", "20000000", "株", "2025") in facts
    assert ("target", "50000000", "株", "2026") in facts


@given(st.lists(st.booleans(), min_size=2, max_size=3))
def test_a_redacted_name_in_a_list_before_each(redacted):
    """棼川、蘅溪、瑧阳三个市要各建至少一家 with names a site redacted (〔隐去〕): one fact per place listed, as with the
    names; the places' count (三个市) is where, not how many."""
    names = ["〔隐去〕" if r else n for r, n in zip(redacted, ["岑川", "蘅浦", "瑧原"], strict=False)]
    count = "两三"[len(names) - 2]
    text = f"明年要再建六到八家，{'、'.join(names)}{count}个市要各建至少一家。"
    facts = [f for f in extract_facts(text, year=2025) if f.unit in ("家", "个")]
    assert sorted((str(f.value), f.unit, f.period) for f in facts) == sorted(
        [("6", "家", "2026"), ("8", "家", "2026")] + [("1", "家", "2026")] * len(names)
    )
