"""Issue #15 item 4: forms of facts the splits' leftovers and the dev11 split showed (session 22, helper facts12),
each read from the genre's grammar. The sentences are written for the tests (fictional places), not copied from
the corpus."""

from kechuang.ingest.parsers import extract_facts
from kechuang.ingest.tests.facts import placed as _placed
from kechuang.ingest.tests.facts import read as _read


def test_since_last_year_opening_a_clause_is_to_now():
    """去年以来 (since last year, to now) inside a sentence, after a subject or a 去年 clause: the report's year, as
    去年以来 opening a sentence already was; 去年 said alone stays last year's."""
    assert ("count", "120", "家", "2025") in _read("据介绍，去年以来全市新增高企120家，投入研发资金3亿元。")
    assert ("count", "120", "家", "2025") in _read("该县去年以来新增高企120家，累计投入3亿元。")
    facts = _read("去年全年技术合同成交额52亿元，去年以来累计签约项目86个。")
    assert ("money", "5200000000", "元", "2024") in facts
    assert ("count", "86", "个", "2025") in facts
    facts = _read("他去年促成合同32项，去年以来累计签约12项。")
    assert ("count", "32", "项", "2024") in facts
    assert ("count", "12", "项", "2025") in facts


def test_another_city_named_without_shi_and_a_figure_listed_after_its_clause():
    """A city of another province named in full in the text (某省岚浦市) and bare in a title's half after white space
    (…开幕 岚浦代表团带来百项成果): the city's; a noun and its figure listed after a clause that went on with the city's
    subject (…组织代表团参展，带来成果86项，参展企业31家): the city's too; 与岚浦方面签约 stays the report's own."""
    text = (
        "第三届某省科技成果博览会开幕 岚浦代表团带来百项成果\n"
        "作为主宾城市，沅岙省岚浦市科学技术局组织代表团参展，带来成果86项，参展企业31家。"
        "其中，与岚浦方面签约项目7个。\n"
    )
    facts = _placed(text)
    assert ("100", "项", "2025", "岚浦市") in facts
    assert ("86", "项", "2025", "岚浦市") in facts
    assert ("31", "家", "2025", "岚浦市") in facts
    assert ("7", "个", "2025", "") in facts
    # a clause of the report's own whole is not listed on (全省参展企业)
    own = _placed(text.replace("参展企业31家", "全省参展企业共310家"))
    assert ("310", "家", "2025", "") in own


def test_a_january_item_whose_lead_is_a_meeting_and_the_year_just_ended_said_after_it():
    """1月8日，全市科技工作会议召开。会议指出，去年… in a report of 2025 (the year its figures are of): the lead's
    date and 今年's targets are of 2026, 去年's figures of 2025 — as 记者1月8日从…获悉，去年… is read. Without the
    year just ended said in the lead or the sentence after it, nothing moves."""
    text = (
        "某市召开科技工作会议\n"
        "1月8日，全市科技工作会议召开。会议指出，去年全市高新技术企业达到1200家，技术合同成交额86亿元。"
        "今年力争高新技术企业突破1400家。\n"
    )
    facts = _read(text)
    assert ("date", "2026-01-08", "date", "2026") in facts
    assert ("count", "1200", "家", "2025") in facts
    assert ("money", "8600000000", "元", "2025") in facts
    assert ("target", "1400", "家", "2026") in facts
    unsaid = text.replace("会议指出，去年全市", "会议表彰了先进单位。全市")
    assert ("date", "2025-01-08", "date", "2025") in _read(unsaid)


def test_sentences_after_one_opening_on_next_year_that_plan_are_its_targets():
    """明年市财政安排…。科技贷款审批时间要压缩到十个工作日以内。 — the sentences after one opening on 明年, in its
    paragraph, that plan (要, 力争, 将 …) and say no time of their own are next year's targets; one saying 今年 or
    not planning stays the report's year."""
    text = "最后说明年。明年县财政安排科技资金不少于三个亿。审批时间要压缩到八个工作日以内。\n"
    assert ("target", "8", "个工作日", "2026") in _read(text)
    this_year = _read(text.replace("审批时间要压缩到", "今年审批时间要压缩到"))
    assert {f[1:] for f in this_year if f[2] == "个工作日"} == {("8", "个工作日", "2025")}
    assert ("count", "12", "家", "2025") in _read("明年县财政安排科技资金三个亿。全县现有孵化器12家。\n")
    # a new paragraph does not go on with it
    assert ("target", "8", "个工作日", "2026") not in _read(text.replace("。审批", "。\n审批"))


def test_some_years_back_opening_a_sentence_dates_its_later_clauses():
    """“五年前这里还是一片老厂房，整条街的企业加起来不到四十家。” — N年前 opening a sentence (no comma after it)
    dates its later clauses, until now is said again (如今, 现在, 这一届); 三年前， (a time a story starts from)
    does not."""
    assert ("count", "30", "家", "2021") in _read("“四年前这条街还是一片荒地，入驻企业不到三十家。”")
    facts = _read("六年前全县的高新技术企业只有12家，如今已有47家。")
    assert ("count", "12", "家", "2019") in facts
    assert ("count", "47", "家", "2025") in facts
    assert ("count", "5", "个", "2025") in _read("三年前，专家团队来到这里，引进新品种5个。")


def test_a_movements_start_under_a_since_said_is_of_that_time():
    """自2023年开办以来，合作银行已从最初的4家扩展到19家 — the start of a movement whose sentence says since when
    (a year, or N年来 counted back) is of that time, and a first session's figure under N年来 too; without a
    since said, or since 去年 (to now), the start stays the report's year."""
    facts = _read("这项业务自2023年开办以来，合作银行已从最初的4家扩展到19家。")
    assert ("count", "4", "家", "2023") in facts
    assert ("count", "19", "家", "2025") in facts
    facts = _read(
        "三年来，大会的规模越来越大：首届只有60多家单位参会；展览面积从0.8万平方米扩大到2.6万平方米。"
    )
    assert ("count", "60", "家", "2022") in facts
    assert ("quantity", "8000", "平方米", "2022") in facts
    assert ("quantity", "26000", "平方米", "2025") in facts
    assert ("count", "4", "家", "2025") in _read("合作银行已从最初的4家扩展到19家。")
    # the paragraph's since: 五年来新建…。省级以上孵化载体由12家增加到31家 (not after 今年, a time of its own)
    facts = _read("五年来新建省级以上创新平台八十个。省级以上孵化载体由12家增加到31家。")
    assert ("count", "12", "家", "2020") in facts
    assert ("count", "12", "家", "2025") in _read("五年来新建平台八十个。今年孵化载体由12家增加到31家。")


def test_a_share_of_the_whole_after_a_figure_of_last_year_is_of_last_year():
    """去年达到1168亿元，占全市地区生产总值的比重接近三分之一 — the share the figure just given is of the whole goes
    on with its year; one after 今年 stays this year's."""
    facts = _read("全县数字经济规模前年突破了百亿元，去年达到126亿元，占全县地区生产总值的比重接近四分之一。")
    assert ("money", "12600000000", "元", "2024") in facts
    assert ("percent", "25", "%", "2024") in facts
    facts = _read("他说，去年全县实现产值12亿元，占全市的15%，今年预计占到20%。")
    assert ("percent", "15", "%", "2024") in facts


def test_a_movement_with_no_time_of_its_own_goes_on_with_the_one_before():
    """研发投入强度由2020年的1.42%提高到2.05%。高新技术企业从一百九十家增加到四百二十家，增长1.2倍。 (2024年… in a 2025
    review): the second movement, said with no time of its own right after one of other years, is of the same years,
    and its growth of its end's; 从立项时的3级提升到目前的7级，国产化率由不足40%提高到88% likewise. A movement after
    one of the report's own year, or with a time of its own, is left as it was."""
    text = (
        "2024年全县研发投入强度由2020年的1.42%提高到2.05%，全市排名前移两位。"
        "高新技术企业从一百九十家增加到四百二十家，增长1.2倍。"
    )
    facts = _read(text)
    assert ("count", "190", "家", "2020") in facts
    assert ("count", "420", "家", "2024") in facts
    assert ("quantity", "1.2", "倍", "2024") in facts
    facts = _read("专家组介绍，装备的技术就绪度从立项时的3级提升到目前的7级，国产化率由不足40%提高到88%。")
    assert ("percent", "40", "%", "2021") not in facts  # (no year the project began is said: its own stays)
    facts = _read(
        "该项目于2022年立项。装备的技术就绪度从立项时的3级提升到目前的7级，国产化率由不足40%提高到88%。"
    )
    assert ("percent", "40", "%", "2022") in facts
    assert ("percent", "88", "%", "2025") in facts
    facts = _read("合作银行由5家扩大到11家。服务企业从120家增加到300家。")
    assert ("count", "120", "家", "2025") in facts


def test_the_first_so_many_in_words_before_wei_de_bound_a_class():
    """服务金额居前十位的机构 (排名前十位的): the bound of a class in 位, as 居前10位的 is read; 居前三位，分别为… (the leading
    ones listed after it) is not a fact."""
    assert ("10", "位") in {f[1:3] for f in _read("服务金额居前十位的机构合计兑付1,830万元。")}
    assert ("10", "位") in {f[1:3] for f in _read("服务金额排名前十位的机构合计兑付1,830万元。")}
    assert not any(f[2] == "位" for f in _read("成交额居前三位，分别为甲、乙、丙。"))


def test_a_deadline_before_the_signing_day_is_of_the_next_year():
    """要在3月31日前将整改方案报送… in a notice of 2025 signed 2025年11月20日: the deadline is next year's (a deadline is
    not past when set); one after the signing day, one with its year said, or a notice signed without a date stays."""
    text = "某省评价结果通报\n排名靠后的设区市，要在3月31日前将整改方案报送省科技厅，12月25日前报送总结。\n某省科学技术厅\n2025年11月20日\n"
    facts = _read(text)
    assert ("date", "2026-03-31", "date", "2026") in facts
    assert ("date", "2025-12-25", "date", "2025") in facts
    assert ("date", "2025-03-31", "date", "2025") in _read(text.replace("2025年11月20日\n", ""))


def test_now_opening_a_later_clause_ends_an_earlier_year_said():
    """2023年底，全市拥有孵化器32家，目前已增加到41家 / 2021年该中心组建时只有18人，现有研发人员156人: 目前, 现在,
    如今 or 现有 opening a later clause is the report's year again, as 今年 is."""
    facts = _read("2023年底，全市拥有孵化器32家，目前已增加到41家。")
    assert ("count", "32", "家", "2023") in facts
    assert ("count", "41", "家", "2025") in facts
    facts = _read("2021年该中心组建时只有18人，现有研发人员156人。")
    assert ("count", "18", "人", "2021") in facts
    assert ("count", "156", "人", "2025") in facts


def test_the_year_a_body_was_founded_dates_the_founding_only():
    """该中心成立于2022年，由市政府联合9家企业共建，总投资6.5亿元 / 于2022年12月揭牌，…: the year dates the founding, not
    what the body is or holds (the report's year); 2022年，全市新建平台12个 still dates its clause."""
    facts = _read("该中心成立于2022年，由市政府联合9家企业共建，总投资6.5亿元。")
    assert ("count", "9", "家", "2025") in facts
    assert ("money", "650000000", "元", "2025") in facts
    assert ("count", "12", "个", "2022") in _read("2022年，全市新建平台12个。")


def test_a_last_years_column_and_a_column_of_scores_in_a_table():
    """A table under 单位：项、亿元、% whose 上年同期 column follows 成交额: the year before's amounts, in 亿元; a
    column 平均得分（分）: scores in 分."""
    text = (
        "表1　各市技术合同成交情况（单位：项、亿元、%）\n"
        "城市　合同数　成交额　上年同期　增长\n"
        "甲市　5206　118.6　102.1　16.2\n"
        "乙市　2438　65.3　60.7　7.6\n"
    )
    facts = _read(text)
    assert ("money", "10210000000", "元", "2024") in facts
    assert ("money", "6070000000", "元", "2024") in facts
    assert ("money", "11860000000", "元", "2025") in facts
    assert ("count", "5206", "项", "2025") in facts
    text = "城市　参评机构（家）　优秀（家）　平均得分（分）\n甲市　16　3　80.2\n乙市　12　2　77.5\n"
    facts = _read(text)
    assert ("quantity", "80.2", "分", "2025") in facts
    assert ("quantity", "77.5", "分", "2025") in facts


def test_percentages_in_words_above_a_hundred_and_with_a_sign():
    """百分之一百一十八 (118 %, not 1 %) and 一点九二% (a decimal in words before the sign: a county's report)."""
    facts = _read("完成年度任务的百分之一百一十八，研发投入强度达到一点九二%。")
    assert ("percent", "118", "%", "2025") in facts
    assert ("percent", "1.92", "%", "2025") in facts
    assert ("percent", "1", "%", "2025") not in facts


def test_a_count_over_a_unit_is_a_density_and_a_time_served_is_no_fact():
    """位错密度降至800个/平方厘米以下: 个/平方厘米 (a count over the unit it is counted in); 运行满三年, 全职工作满2年 (a
    time served) are not facts, 为期三年 is."""
    assert ("quantity", "800", "个/平方厘米", "2025") in _read("位错密度降至800个/平方厘米以下。")
    assert not any(f[2] == "年" for f in _read("研究院运行满三年，在省内全职工作满2年。"))
    assert ("quantity", "3", "年", "2025") in _read("项目实施期为期三年。")


def test_times_said_around_a_figure_in_dev11s_forms():
    """比上一年度的35.1% (the year before); 研发投入强度2024年比2020年提高0.63个百分点 (the later year of the two); 上年同期有一项
    12.6亿元的合同 (a figure read as none between does not part 上年同期 from the amount); 排名后5%的，取消… (a rule's
    bound, now); 公司预计明年…达到40台，销售收入突破2亿元 (a forecast of next year in the first clause holds on);
    “立项时…只有5级，…” (a clause opening on when the project began: that year)."""
    facts = _read("研发投入占总收入的比重为38.5%，比上一年度的35.1%提高3.4个百分点。")
    assert ("percent", "35.1", "%", "2024") in facts
    assert ("points", "0.63", "百分点", "2024") in _read("研发投入强度2024年比2020年提高0.63个百分点。")
    assert ("money", "1260000000", "元", "2024") in _read(
        "主要是上年同期有一项12.6亿元的大额合同抬高了基数。"
    )
    facts = _read("服务机构上年度服务质量评价排名后5%的，取消入库资格。", 2026)
    assert ("percent", "5", "%", "2026") in facts
    facts = _read("公司预计明年磨床产能将达到40台，销售收入突破2亿元。")
    assert ("target", "200000000", "元", "2026") in facts
    assert ("money", "500000000", "元", "2025") in _read(
        "今年订单已经排到明年二季度，全年营收预计能到五个亿。"
    )
    facts = _read("该项目于2022年立项。“立项时我们的关键技术就绪度只有5级，现在整机已经达到8级。”")
    assert ("level", "5", "级", "2022") in facts
    assert ("level", "8", "级", "2025") in facts


def test_speech_of_a_farm_feature():
    """比去年多收了十二吨 (a weight in words), 旺季一天就要发八十来箱 (箱 a measure word), 一个月能走… (the span a rate is
    counted over: no fact), 去年…卖了一百二十多万，今年估计能到两百万左右 (万 going on with an amount of money said before
    in the sentence); 观众达3万，… stays no amount."""
    assert ("quantity", "12", "吨", "2025") in _read("今年收购鲜叶46吨，比去年多收了十二吨。")
    facts = _read("“网上一个月能走四百多单，旺季一天就要发八十来箱。”")
    assert ("count", "80", "箱", "2025") in facts
    assert not any(f[2] == "个月" for f in facts)
    facts = _read("“去年合作社卖茶卖了一百二十多万，今年估计能到两百万左右。”")
    assert ("money", "2000000", "元", "2025") in facts
    assert not any(f[2] == "元" for f in _read("观众达3万，参观人数超过五万。"))


def test_a_duration_said_again_as_the_span_of_what_follows():
    """为期三天的交易会… 三天里共举办对接活动28场: the second 三天 is the span the count covers, not a second fact."""
    facts = extract_facts("为期三天的交易会昨日闭幕。三天里共举办对接活动28场。", year=2025)
    assert [str(f.value) for f in facts if f.unit == "天"] == ["3"]


def test_a_wafers_size_in_words():
    """八英寸氧化镓单晶衬底, 十二英寸晶圆: a size in inches with a numeral in words."""
    facts = _read("八英寸氧化镓单晶衬底实现小批量制备，十二英寸晶圆产线投产。")
    assert ("quantity", "8", "英寸", "2025") in facts
    assert ("quantity", "12", "英寸", "2025") in facts


def test_the_leading_ones_summed_after_them_are_no_rank():
    """甲、乙和丙领域成交额居前三位，合计占比超过六成: the three named before, summed after, as 居前三位，分别为… — no
    fact of 位; 居前三位的领域 still bounds a class."""
    facts = _read("电子信息、先进制造和新能源领域成交额居前三位，合计占比超过六成。")
    assert not any(f[2] == "位" for f in facts)
    assert ("percent", "60", "%", "2025") in facts
