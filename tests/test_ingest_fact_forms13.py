"""Issue #15 item 4: forms of facts the dev12 split showed at first sight (session 22, helper facts13), each read
from the genre's grammar. The sentences are written for the tests (fictional places), not copied from the corpus."""

from kechuang.ingest.parsers import extract_facts
from kechuang.ingest.tests.facts import read as _read


def _values(text: str, year: int = 2025) -> list[tuple]:
    return sorted((str(f.value), f.unit, f.period) for f in extract_facts(text, year=year))


def test_a_rank_kept():
    """保持在全国第12位, 稳定在全省第3位: a rank kept is a rank (as 居全国第12位); 保持在第一方阵 stays a group."""
    assert ("rank", "12", "位", "2025") in _read("研发投入强度2.31%，保持在全国第12位。")
    assert ("rank", "3", "位", "2025") in _read("综合科技创新水平指数稳定在全省第3位。")
    assert not any(f[2] == "位" for f in _read("区域创新能力保持在全国第一方阵。"))


def test_a_table_of_several_measure_words_and_a_part_of_the_row_above():
    """单位：亿元、家、件、% over rows of amounts, bodies and patents: each row in the unit its label's noun is
    counted in (企业 家, 专利 件), the 上年同期 column the year before; 其中：X under a row is a part of it, in its
    unit."""
    text = (
        "表1　主要指标（单位：亿元、家、件、%）\n"
        "指标　1—9月　上年同期　增长\n"
        "技术合同成交额　64.2　55.8　15.1\n"
        "其中：技术转让合同　12.4　10.9　13.8\n"
        "科技型中小企业评价入库　916　802　14.2\n"
        "发明专利授权　1380　1296　6.5\n"
    )
    facts = _read(text)
    assert ("money", "1240000000", "元", "2025") in facts
    assert ("money", "1090000000", "元", "2024") in facts
    assert ("count", "916", "家", "2025") in facts
    assert ("count", "802", "家", "2024") in facts
    assert ("count", "1380", "件", "2025") in facts
    assert ("count", "1296", "件", "2024") in facts
    assert ("percent", "13.8", "%", "2025") in facts


def test_units_of_power_force_and_field():
    """不低于30瓦, 功耗不到8瓦 (watts; not 瓦时 or 瓦斯), 2.4万千牛 (kilonewtons), 1.5T (teslas; 3.2TB stays bytes)."""
    assert ("quantity", "30", "瓦", "2025") in _read("激光芯片单管连续输出功率不低于30瓦，电光转换效率65%。")
    assert ("quantity", "24000", "千牛", "2025") in _read("盾构机刀盘开挖直径15.8米，最大推力2.4万千牛。")
    facts = _read("某企业研制的1.5T超导磁共振成像系统上市，获取数据超过3.2TB。")
    assert ("quantity", "1.5", "T", "2025") in facts
    assert ("quantity", "3.2", "TB", "2025") in facts
    assert not any(f[2] == "瓦" for f in _read("电池能量密度达到300瓦时/千克。"))


def test_a_grade_of_wind_resistance_said_as_capacity():
    """抗风能力不低于14级: a grade on its scale (as 抗风等级不低于12级)."""
    assert ("level", "14", "级", "2025") in _read("海上光伏系统抗风能力不低于14级，装机容量2兆瓦。")


def test_times_counted_after_ge():
    """开展海试五个航次, 分两个批次: 个 before a measure of times counts in it (as 3个位次)."""
    assert ("count", "5", "航次", "2025") in _read("团队在南海开展海试五个航次，累计时长4300多小时。")
    assert ("count", "3", "批次", "2025") in _read("今年共组织专家服务团3个批次。")


def test_a_rank_moved_from_under_a_section_reviewing_the_year_before():
    """In a 2026 plan, under 一、2025年工作回顾: 由上年的第六位前移到第四位 is 2024's sixth and 2025's fourth."""
    text = (
        "某县2026年科技工作要点\n"
        "一、2025年工作回顾\n"
        "全县研发投入强度1.64%，在全市各县中由上年的第六位前移到第四位。\n"
        "二、2026年主要目标\n"
        "研发投入强度达到1.8%。\n"
    )
    facts = _read(text, year=2026)
    assert ("rank", "6", "位", "2024") in facts
    assert ("rank", "4", "位", "2025") in facts


def test_values_of_the_time_a_project_began():
    """项目于2022年5月启动 …: 是立项时国内同类设备30天的6倍 (30天 of then, 6倍 of now); a quoted sentence opening on
    “立项时，” dates its clauses (只有4级) until now is said (现在…达到7级)."""
    text = (
        "项目于2022年5月启动，总经费3000万元。系统一次布放可连续工作180天，是立项时国内同类设备30天的6倍。\n"
        "“立项时，核心传感器的技术就绪度只有4级，很多部件要靠进口。”他说，“现在技术就绪度达到7级。”\n"
    )
    facts = _read(text)
    assert ("quantity", "30", "天", "2022") in facts
    assert ("quantity", "6", "倍", "2025") in facts
    assert ("level", "4", "级", "2022") in facts
    assert ("level", "7", "级", "2025") in facts


def test_the_same_count_for_two_places_named_with_he():
    """楝岙市和槐浦市各2个: the same count for each of the two (as A、B各2个)."""
    counts = [
        v for v in _values("进入前十位的县中，甲江市有3个，楝岙市和槐浦市各2个，其他1个。") if v[1] == "个"
    ]
    assert counts.count(("2", "个", "2025")) == 2


def test_ten_thousands_in_speech_given_lent_or_capped():
    """Speech: 每家省里给一百万, 拿到了八百万贷款, …给予补助，单家企业最多五百万: amounts in yuan; 观众达三万， is not."""
    assert ("money", "1000000", "元", "2025") in _read("“全省建了十八家验证中心，每家省里给一百万。”")
    assert ("money", "8000000", "元", "2025") in _read("“光凭几项专利，三天就拿到了八百万贷款。”")
    assert ("money", "5000000", "元", "2025") in _read(
        "“对企业新购仪器，省里按购置额的20%给予补助，单家企业最多五百万。”"
    )
    assert not any(f[0] == "money" for f in _read("“活动周期间，参与观众达三万，比去年多。”"))


def test_some_years_back_with_a_comma_and_how_things_still_were():
    """“五年前，我们的高新技术企业还不到五千家，现在翻了一番还多。”: 年前， with a comma, the figure's clause saying
    how things still were (还不到): five years back; a story opening 三年前， (他来到这里，引进新品种4个) stays now."""
    assert ("count", "5000", "家", "2020") in _read(
        "“五年前，我们的高新技术企业还不到五千家，现在翻了一番还多。”"
    )
    assert ("count", "4", "个", "2025") in _read("三年前，他带着团队来到这里，引进新品种4个。")
