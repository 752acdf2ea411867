"""Issue #15 item 4: forms of facts the dev14 split showed at first sight (session 23, helper facts15), each read
from the genre's grammar. The sentences are written for the tests (fictional places), not copied from the corpus."""

from kechuang.ingest.tests.facts import placed as _placed
from kechuang.ingest.tests.facts import read as _read


def test_a_table_with_a_column_of_units():
    """指标名称　计量单位　2024年　比上年增长（%）: each row's unit cell (亿元, 家, 件) is the unit of the columns that
    name none of their own; the growth column keeps its %."""
    text = (
        "表1　2024年某市科技创新主要指标\n"
        "指标名称　计量单位　2024年　比上年增长（%）\n"
        "R&D经费支出　亿元　61.5　9.8\n"
        "高新技术企业　家　942　11.3\n"
        "发明专利授权量　件　1733　6.1\n"
    )
    facts = _read(text, 2024)
    assert ("money", "6150000000", "元", "2024") in facts
    assert ("percent", "9.8", "%", "2024") in facts
    assert ("count", "942", "家", "2024") in facts
    assert ("count", "1733", "件", "2024") in facts
    assert ("percent", "6.1", "%", "2024") in facts
    assert len(facts) == 6


def test_another_province_named_bare_against_ours():
    """同期，X省登记…1200亿元，比我省多…: a province named bare opening a clause whose sentence sets its figure against
    the report's own (比我省, 我们和人家比) is that province's, and so is the difference after it; 占全省, 其中省财政
    name none."""
    facts = _placed("同期，岫沅省登记技术合同成交额1260亿元，比我省多210.5亿元。", 2024)
    assert ("126000000000", "元", "2024", "岫沅省") in facts
    assert ("21050000000", "元", "2024", "岫沅省") in facts
    facts = _placed("岫沅省今年就达到了百分之二点七，我们和人家比还差零点四个百分点。", 2024)
    assert ("2.7", "%", "2024", "岫沅省") in facts
    facts = _placed("其中省财政资金1.2亿元，占全省的三成，比我省去年多2000万元。", 2024)
    assert all(p == "" for *_, p in facts)


def test_a_department_of_another_city_after_words_describing_it():
    """应邀出席的X省Y市科学技术局组织12家企业参会，现场发布技术需求38项: the department is the clause's subject."""
    text = "萁阳市科技成果对接会举行\n应邀参加对接会的岫沅省筠川市科学技术局组织15家企业参会，现场发布技术需求41项。"
    facts = _placed(text)
    assert ("15", "家", "2025", "筠川市") in facts
    assert ("41", "项", "2025", "筠川市") in facts


def test_cities_of_the_whole_province_are_no_city():
    """在全省设区市中居第四位 in a city's report: 设区市 is no city's name (全省 is the report's own whole)."""
    text = "萁阳市2025年科技统计公报\n市科技局数据显示，全市研发投入强度1.9%，在全省设区市中居第四位。"
    assert ("4", "位", "2025", "") in _placed(text)


def test_one_after_a_bound():
    """同期主持省级项目不超过一项。: one, bounded and ending the clause, is counted (as 不超过1项); the bound before the
    numeral does not hide it."""
    assert ("count", "1", "项", "2025") in _read("申报人同期主持省级科技计划项目不超过一项。")


def test_a_rank_moved_from_and_to_in_speech():
    """我们从第二十一位提到了第十八位: both ranks (the first the year before), as 由…升至; 从第一片样品, 从业第四年 no rank."""
    facts = _read("全国区域创新能力排名，我们从第二十三位提到了第十九位，一年往前走了四位。")
    assert ("rank", "23", "位", "2024") in facts
    assert ("rank", "19", "位", "2025") in facts
    assert not any(f[2] == "位" for f in _read("从第一片样品到批量出货，从业第四年的她促成交易47笔。"))


def test_the_first_so_many_reached_in_speech():
    """区域创新能力要进到全国前十五: a target rank bound (as 进入全国前十五)."""
    assert ("target", "15", "位", "2027") in _read("到2027年，区域创新能力要进到全国前十五。")


def test_a_point_of_a_speech_opening_on_next_year():
    """第三，明年要抓好几件事。一是…二是…要过一半。三是…新建…十家。: the point's lead (第三，) before 明年 opens the plan,
    and each item enumerated in it is next year's, a plan word before its figure or not."""
    text = (
        "第二，明年要办好几件实事。一是抓人才，引进领军人才三十名左右。二是抓企业，有研发机构的企业比例要过四成。"
        "三是抓平台，新建中试基地八家。"
    )
    facts = _read(text)
    assert ("target", "30", "名", "2026") in facts
    assert ("target", "40", "%", "2026") in facts
    assert ("target", "8", "家", "2026") in facts
    # an item saying 明年 itself does not end the plan (明年 is not a time of its own that parts the items after it)
    text = "第三，明年要抓好几件事。一是抓平台，实验室明年要新增科研人员两百人左右。二是抓转化，新建中试基地八家。"
    assert ("target", "8", "家", "2026") in _read(text)


def test_a_later_year_opening_its_own_clause_after_a_target_year():
    """到2027年，…达到40家；2026年重点完成…，力争…3000小时以上: the later year opening its clause is the target year of
    what follows (比2026年增加5家 inside a clause does not)."""
    facts = _read("到2028年，成员单位达到45家；2026年重点完成样机安装，力争样机连续运行2000小时以上。")
    assert ("target", "45", "家", "2028") in facts
    assert ("target", "2000", "小时", "2026") in facts
    assert ("target", "5", "家", "2028") in _read("到2028年，成员单位达到45家，比2026年增加5家。")


def test_a_movement_from_when_a_year_s_projects_were_set_up():
    """关于2023年度…项目…的公示 … 技术成熟度由立项时的4级提升到7级: the start is the year the projects are of."""
    text = (
        "关于2023年度重点研发计划项目验收结果的公示\n某公司团队技术成熟度由立项时的4级提升到7级，通过验收。"
    )
    facts = _read(text)
    assert ("level", "4", "级", "2023") in facts
    assert ("level", "7", "级", "2025") in facts


def test_a_time_measured_reaching_a_number_of_years_in_words():
    """连续工作时间达到一年, 设计寿命达到二十五年: a time measured reaching so long is a quantity in 年 (one year
    too); 过去一年, 一年来 stay words in passing."""
    assert ("target", "1", "年", "2026") in _read("2026年，力争浮标无故障连续工作时间达到一年。")
    assert ("quantity", "25", "年", "2025") in _read("主轴承设计寿命达到二十五年。")
    assert not any(f[2] == "年" for f in _read("过去一年，全市新增企业12家；一年来，服务时间为一年来最长。"))


def test_so_many_parts():
    """A、B和C三部分分别占50%、30%和20%: a count of parts in 个 (as 五大领域); 第二部分 (a heading), 一部分, 大部分 no count."""
    assert ("count", "3", "个", "2025") in _read(
        "评价由创新能力、成果转化和运行管理三部分组成，分别占50%、30%和20%。"
    )
    assert not any(
        f[2] == "个" for f in _read("第二部分　2026年工作思路\n大部分企业已完成，一部分资金已拨付。")
    )


def test_a_bounty_posted_in_speech():
    """“这个榜，我们挂了六百万”: 万 after a verb of posting a bounty (揭榜挂帅) is an amount, as 给了一百万."""
    assert ("money", "6000000", "元", "2025") in _read(
        "“耐旱小麦这个榜，我们挂了六百万，揭榜的是农科院的团队。”"
    )


def test_nautical_miles_and_a_speed_in_speech():
    """每小时15海里, 时速30海里 (a speed in 海里/小时, facts14's compounded rates), 续航800海里; in speech 一个小时能跑十五海里."""
    facts = _read("巡检船最高航速每小时15海里，续航800海里。")
    assert ("quantity", "15", "海里/小时", "2025") in facts
    assert ("quantity", "800", "海里", "2025") in facts
    assert ("quantity", "15", "海里/小时", "2025") in _read(
        "他们做的无人巡检船，一个小时能跑十五海里，连续干三天。"
    )
