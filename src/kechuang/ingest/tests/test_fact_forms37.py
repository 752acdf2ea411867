"""Issue #15 item 4: forms session 31 left (session 32, helper facts37) — a range of years in words, an amount in
words of 亿 and 万 in speech, a remainder to a goal said without its unit, a measure named with its compounded unit
said again, the one a superlative picks out, a numbered row's gap read as a mark, a word redacted between two ranks,
各 after a list of items, a province called next door. The sentences are written for the tests (fictional places:
泺岷省 and its cities), not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.parsers import extract_facts
from kechuang.ingest.tests.facts import placed, read, values

_CN = "一二三四五六七八九"


@given(
    st.integers(2, 6),
    st.integers(1, 3),
    st.sampled_from(
        ("要到这个水平，大概需要{}。", "一项成果从实验室走到市场，一般要{}。", "孵化周期通常为{}。")
    ),
    st.sampled_from(("到", "至")),
)
def test_a_range_of_years_in_words(low, more, words, to):
    """大概需要三到五年: a range of years in words is two facts in 年, as 3到5年 in digits is (FACTS_KEY: a range); a
    window ahead (未来三到五年, 今后两到三年) says when, not how long."""
    span = f"{_CN[low - 1]}{to}{_CN[low + more - 1]}年"
    facts = values(f"泺岷省科技厅负责人说，{words.format(span)}", year=2026)
    assert (str(low), "年", "2026") in facts
    assert (str(low + more), "年", "2026") in facts
    ahead = values(f"泺岷省科技厅负责人说，未来{span}，全省将新建省实验室五家。", year=2026)
    assert not {f for f in ahead if f[1] == "年"}


@given(st.integers(11, 99), st.integers(1, 9), st.integers(2, 9))
def test_an_amount_in_words_of_yi_and_wan_in_speech(yi, thousands, more):
    """比去年的五十三亿六千万多了五个亿: a numeral of 亿 and then 万 said without 元 is an amount, as a bare 亿 is (五十八亿多
    一点), of the year said before it; a bare 亿 or 万 before 多了 too (比去年的五十三亿多了)."""
    said = f"{_cn(yi)}亿{_CN[thousands - 1]}千万"
    text = f"厅长：今年省级财政科技支出比去年的{said}多了{_CN[more - 1]}个亿。"
    facts = values(text, year=2026)
    assert (str(yi * 100_000_000 + thousands * 10_000_000), "元", "2025") in facts
    assert (str(more * 100_000_000), "元", "2026") in facts
    bare = values(f"厅长：今年省级财政科技支出比去年的{_cn(yi)}亿多了{_CN[more - 1]}个亿。", year=2026)
    assert (str(yi * 100_000_000), "元", "2025") in bare


def _cn(n: int) -> str:
    tens, ones = divmod(n, 10)
    return ("十" if tens == 1 else f"{_CN[tens - 1]}十") + (_CN[ones - 1] if ones else "")


@given(st.integers(200, 400), st.integers(2, 9), st.sampled_from(("瓦时/千克", "公里", "摄氏度")))
def test_a_remainder_to_a_goal_said_without_its_unit(reached, tens, unit):
    """离目标还差四十: a remainder said in speech after a quantity, its unit unsaid, is in that quantity's unit; one said
    after an amount (三百亿，离目标还差五十: the scale unsaid) is not read."""
    text = f"泺州市储能公司负责人说：“我们的样品已经做到{reached}{unit}，离目标还差{_CN[tens - 1]}十，有信心拿下来。”"
    assert (str(tens * 10), unit, "2026") in values(text, year=2026)
    money = f"泺州市今年技术合同成交额三百亿，离目标还差{_CN[tens - 1]}十。"
    assert not {f for f in values(money, year=2026) if f[0] == str(tens * 10)}


@given(st.integers(2, 9), st.integers(1, 9))
def test_a_measure_named_with_its_compounded_unit_said_again(whole, tenth):
    """单位产品综合能耗（吨标准煤/吨） as a row's label, then 单位产品综合能耗比要求高出0.3吨标准煤: the figure, in the
    unit's first part, is in the compounded unit, as the figure a rate is compared with is; a figure of another measure
    in that unit stays as written."""
    text = (
        "指标　任务书要求　实测值\n"
        f"单位产品综合能耗（吨标准煤/吨）　≤{whole}.5　{whole}.{tenth}\n"
        f"从上表看，单位产品综合能耗比要求高出0.{tenth}吨标准煤，主要原因是余热回收系统未满负荷运行。"
        f"下一节点要求单位产品综合能耗降至{whole}吨标准煤以下，全年节约标准煤{whole}0吨。"
    )
    facts = values(text, year=2026)
    assert (f"0.{tenth}", "吨标准煤/吨", "2026") in facts
    assert (str(whole), "吨标准煤/吨", "2026") in facts
    assert (f"{whole}0", "吨", "2026") in facts


def test_the_one_a_superlative_picks_out_is_no_count():
    """是各一级指标中最低的一项: the one of a set a superlative picks out is not counted; one counted after its noun at
    the clause's end still is (建成中试线一条)."""
    text = "泺州市开放合作指标平均得分率仅为61.2%，是各一级指标中最低的一项。"
    assert not {f for f in read(text, year=2026) if f[1] == "1"}
    assert ("count", "1", "条", "2026") in read("泺州市今年建成中试线一条。", year=2026)


@given(st.integers(100, 999), st.integers(100, 999), st.sampled_from("。，"))
def test_a_numbered_rows_gap_before_its_number_read_as_a_mark(first, second, mark):
    """2　耐高温叶片材料　泺川航材科技有限公司。600: the gap before a numbered row's number decoded as a mark is the
    gap; the row and the rows after it are read."""
    table = (
        "序号　项目名称　揭榜单位　省财政支持（万元）\n"
        f"1　丘陵山区电动拖拉机研制　泺州农机集团有限公司　{first}\n"
        f"2　耐高温合金叶片材料　〔隐去〕航材科技有限公司{mark}{second}\n"
        f"3　水稻抗倒伏分子育种　岷川农业科学研究所　{first + 1}\n"
        "以上项目实施周期一般为两年。"
    )
    facts = values(table, year=2026)
    assert (str(second * 10000), "元", "2026") in facts
    assert (str((first + 1) * 10000), "元", "2026") in facts


@given(st.integers(10, 30), st.integers(1, 9))
def test_a_word_redacted_between_two_ranks(before, gained):
    """由上年的第19位〔隐去〕第15位: the redacted word between a movement's two ranks is its verb (升至); both ranks are
    read, the first the year before's."""
    text = f"泺岷省综合科技创新水平指数由上年的第{before}位〔隐去〕第{before - gained}位，创新能力稳步提升。"
    facts = values(text, year=2026)
    assert (str(before), "位", "2025") in facts
    assert (str(before - gained), "位", "2026") in facts


@given(st.integers(1000, 99999), st.sampled_from(("收入、支出总计", "技术开发、技术转让合同")))
def test_each_after_a_list_of_items(amount, items):
    """收入、支出总计各增加12836.44万元: 各 after a list of items gives one fact per item, as after a list of places
    (FACTS_KEY.md: 各, session 32)."""
    text = f"泺岷省科技厅2026年度决算显示，与上年相比，{items}各增加{amount}万元。"
    facts = [f for f in extract_facts(text, year=2026) if f.unit == "元"]
    assert [str(f.value) for f in facts] == [str(amount * 10000)] * 2


@given(st.integers(2, 9))
def test_a_province_called_next_door(times):
    """隔壁皞泺省的几家省实验室…，人员规模是我们的两倍左右: a province the speaker calls next door (隔壁) opening the
    clause names another region, as 邻省的 and 我们的邻居 do (FACTS_KEY, dev20)."""
    text = f"主任：隔壁岷川省的几家省实验室起步比我们早，人员规模是我们的{_CN[times - 1]}倍左右，但我们在转化上不落后。"
    assert (str(times), "倍", "2026", "岷川省") in placed(text, year=2026)
