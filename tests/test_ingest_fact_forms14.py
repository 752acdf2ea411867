"""Issue #15 item 4: the unit of a rate (session 23, helper facts14; FACTS_KEY.md, the paragraph on rates) and the
leftovers of the earlier splits, each read from the genre's grammar. The sentences are written for the tests
(fictional places), not copied from the corpus."""

from kechuang.ingest.parsers import extract_facts
from kechuang.ingest.tests.facts import read as _read


def _units(text: str, year: int = 2025) -> list[tuple]:
    return sorted((str(f.value), f.unit) for f in extract_facts(text, year=year))


def test_a_rate_after_mei_and_a_unit_of_time_is_compounded():
    """每小时3.5公斤, 每秒12米, 每月2万片, 每小时不低于90亩: the figure's unit over the unit of time; the value as written."""
    assert _units("新型采茶机单台采摘效率不低于每小时3.5公斤，整机质量不超过120千克。") == [
        ("120", "千克"),
        ("3.5", "公斤/小时"),
    ]
    assert ("12", "米/秒") in _units("在年平均风速每秒12米的条件下，机组运行稳定。")
    assert ("20000", "片/月") in _units("该产线设计产能每月2万片。")
    assert ("90", "亩/小时") in _units("植保无人机作业效率每小时不低于90亩。")
    assert ("6000", "吨/年") in _units("中试线设计产能每年6000吨。")
    assert ("80", "片/小时") in _units("检测速度每个小时80片。")


def test_a_rate_per_a_unit_of_measure_and_a_speed():
    """每百公里7.2千克, 每万元0.31吨标准煤, 每升3.8千瓦, 时速400公里, 550公里每小时."""
    assert ("7.2", "千克/百公里") in _units("燃料电池客车氢耗为每百公里7.2千克。")
    assert ("0.31", "吨标准煤/万元") in _units("全县单位增加值能耗为每万元0.31吨标准煤。")
    assert ("3.8", "千瓦/升") in _units("电堆体积功率密度达到每升3.8千瓦。")
    assert ("400", "公里/小时") in _units("试验列车最高时速400公里。")
    assert ("550", "公里/小时") in _units("牵引系统试验速度达到550公里每小时。")
    assert ("60", "转/分钟") not in _units("主轴最高转速6万转/分钟。")  # a slash, as before
    assert ("60000", "转/分钟") in _units("主轴最高转速6万转/分钟。")


def test_a_rates_range_and_movement_share_its_unit():
    """每小时6至9亩: both ends; 由每年不超过200项压减至不超过180项: both figures."""
    assert _units("收获机作业效率每小时6至9亩。") == [("6", "亩/小时"), ("9", "亩/小时")]
    assert _units("省级科技奖励总数由每年不超过200项压减至不超过180项。") == [
        ("180", "项/年"),
        ("200", "项/年"),
    ]


def test_not_rates_stay_as_written():
    """每 before a verb (the act's amount), before a noun, per a counted item; amounts and shares per year."""
    assert ("8.1", "万吨") not in _units("项目每年可替代标准煤8.1万吨。")
    assert ("81000", "吨") in _units("项目每年可替代标准煤8.1万吨。")
    assert ("50", "公斤") in _units("示范区每亩增产50公斤左右。")
    assert ("58", "人") in _units("新型研发机构平均每家约58人。")
    assert ("6", "名") in _units("每个单位限报6名。")
    assert ("10", "个月") in _units("特派员每年在岗时间不少于10个月。")
    assert ("20000000", "元") in _units("市里每年最高给予2000万元支持。")
    assert ("800", "吨") in _units("生产线年产能800吨。")


def test_a_rate_of_a_process_per_hour_or_week():
    """每小时产氢150标准立方米, 每周给药1次, 每周在企业工作不少于3天: a unit of time shorter than a year, a verb between
    (never a value of the year); 每周一举办路演3场 (Monday, not a week) and 每年 before a verb stay as written."""
    assert _units("新型电解槽每小时产氢150标准立方米。") == [("150", "标准立方米/小时")]
    assert ("1", "次/周") in _units("新药药效持续时间达到每周给药1次的水平。")
    assert ("3", "天/周") in _units("科技副总每周在企业工作不少于3天。")
    assert _units("园区每周一举办路演3场。") == [("3", "场")]
    assert _units("该系统每年可提供观测时间2500小时。") == [("2500", "小时")]


def test_a_full_scale_accuracy_and_a_roughness():
    """测量精度达到0.05%FS (a quantity of full scale, not a share); 表面粗糙度优于Ra0.02微米 (the figure after the
    roughness parameter's name); a model name before a figure stays unread as before."""
    assert _units("高温压力传感器测量精度达到0.03%FS。") == [("0.03", "%FS")]
    assert _units("精密磨床加工表面粗糙度优于Ra0.04微米。") == [("0.04", "微米")]
    assert _units("新研制的轴承表面粗糙度Rz0.2微米。") == [("0.2", "微米")]
    assert _units("研发投入占比达到0.05%，居全省前列。") == [("0.05", "%")]


def test_an_exascale_figure_in_words():
    """每秒百亿亿次 (10^18 per second, an exascale machine): 亿亿 is a scale of 10^16."""
    assert _units("超算中心系统峰值算力达到每秒百亿亿次。") == [("1000000000000000000", "次/秒")]


def test_numerals_said_short_and_orders_in_speech():
    """三百八 (380: the last digit one place below), 两千五, 一万二; a price said short at a clause's end where the
    clause speaks of money (一斤能卖三百八，); 四百多单 (orders, ending the clause; 名单, 单位 are not)."""
    from kechuang.ingest.parsers.numbers import cn_big_number, cn_number

    assert (cn_number("三百八"), cn_number("两千五"), cn_number("三百零八"), cn_number("十二")) == (
        380,
        2500,
        308,
        12,
    )
    assert (cn_big_number("一万二"), cn_big_number("一万零二"), cn_big_number("三万二千")) == (
        12000,
        10002,
        32000,
    )
    assert _read("“现在手工白茶一斤能卖四百六，以前根本卖不上价。”") == {("money", "460", "元", "2025")}
    assert _read("全村人口一千二，青壮年外出务工。") == set()  # not a clause of money
    assert ("400", "单") in _units("“旺季网上一个月能走四百多单。”他说。")
    assert ("1200", "单") in _units("平台全年成交1200单，交易额3.6亿元。")
    assert _units("公布第二批入库企业名单，共12家单位。") == [("12", "家")]


def test_mesh_faces_as_a_measure_word():
    """500万面片 (a mesh's faces): a count in 面片."""
    assert _units("几何建模引擎模型处理规模达到800万面片。") == [("8000000", "面片")]


def test_a_since_opening_the_paragraph_before_goes_on():
    """一年来，… opening a paragraph, then the next paragraph's movement 由72%提升到80.5% without a time of its own: the
    start is of a year back (a time said inside a quoted saying between is the saying's); a time said in the
    movement's own sentence (今年，…) or a since inside the lead (…获悉，五年来…) does not carry."""
    story = (
        "省氢能产业创新联合体成立一周年\n一年来，联合体成员共同投入研发资金5.2亿元。\n"
        "“过去一家企业干不成的事，现在大家一起干。”秘书长介绍，电解槽的能量效率由72%提升到80.5%。"
    )
    assert ("percent", "72", "%", "2024") in _read(story)
    assert ("percent", "80.5", "%", "2025") in _read(story)
    assert ("percent", "72", "%", "2025") in _read(story.replace("秘书长介绍，", "秘书长介绍，今年"))
    lead = "10月8日，推进会召开。记者获悉，五年来全市累计引进人才1.2万名。\n研究员说，他入选后，团队从最初的4个人发展到三十多人。"
    assert ("count", "4", "人", "2025") in _read(lead)


def test_a_story_back_when_someone_first_came():
    """五年前，他…来到这里 … “刚来那会儿，…一年也就卖个两千来块。”: the sentence opening on when he first came is of five
    years back; without the year said before, or with now said before the figure, the report's."""
    story = "五年前，他从省农科院来到这里驻点。\n“刚来那会儿，这片果园一亩地一年也就卖个两千来块。”他说，“现在一亩能卖到六千多块。”"
    assert ("money", "2000", "元", "2020") in _read(story)
    assert ("money", "6000", "元", "2025") in _read(story)
    assert ("money", "2000", "元", "2025") in _read(story.split("\n", 1)[1])
    assert ("money", "2000", "元", "2025") in _read(story.replace("刚来那会儿，", "刚来那会儿，现在"))


def test_an_rd_statistic_in_a_report_of_an_earlier_years_data():
    """评估以2024年统计数据为主: a share of R&D expenditure stated without a time of its own (比重仅为3.4%) is 2024's,
    and the points compared with it right after; a count of people, a survey's share, a figure dated in its sentence
    and a rate a rule pays stay the report's."""
    text = (
        "评估以2024年统计数据为主，结合2025年前三季度监测数据。\n"
        "三、存在的主要问题\n"
        "一是基础研究投入偏少，基础研究经费占研发经费的比重仅为3.4%，低于全省平均水平2.2个百分点；"
        "二是顶尖人才仅5人；三是问卷中有38.5%的企业反映融资难。\n"
        "研发投入强度预计2025年可达到2.9%。对评为优秀的机构，按研发经费的15%给予后补助。"
    )
    facts = _read(text)
    assert ("percent", "3.4", "%", "2024") in facts
    assert ("points", "2.2", "百分点", "2024") in facts
    assert ("count", "5", "人", "2025") in facts
    assert ("percent", "38.5", "%", "2025") in facts
    assert any(f[1] == "2.9" and f[3] == "2025" for f in facts)
    assert ("percent", "15", "%", "2025") in facts
    # without the earlier year's data said, the report's
    assert ("percent", "3.4", "%", "2025") in _read(text.split("\n", 1)[1])
