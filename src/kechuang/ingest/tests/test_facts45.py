"""Issue #15 item 4: fact forms of the dev42 split and of facts lost to damage (session 35, helper facts45). The
sentences are written for the tests (fictional places: 玳珂省 the report's own, 瑷琿省 another, its city 琿口市),
not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.tests.facts import placed, read, values


@given(st.integers(2, 9), st.integers(11, 99))
def test_electronvolts_and_kelvins_written_out(low, high):
    """分辨率不大于0.45电子伏 (eV, as 兆电子伏), 温度范围1.8至400开 (kelvins, as 毫开): quantities in their unit; 开 only
    ending its clause (or before 以下/以上), never 开展, 开放, 开发."""
    text = f"仪器能量分辨率不大于0.{low}电子伏；磁强计温度范围{low}至{high}开。每年开展{low}次开放日活动，分{low}批开发。"
    facts = values(text, year=2026)
    assert (f"0.{low}", "电子伏", "2026") in facts
    assert (str(low), "开", "2026") in facts
    assert (str(high), "开", "2026") in facts
    assert not any(unit == "开" for _v, unit, _p in facts if _v not in (str(low), str(high)))


@given(st.sampled_from(["三", "五", "两"]), st.sampled_from(["盯", "干", "守"]))
def test_years_in_words_said_as_how_long(n, verb):
    """开展为期三年的跟踪服务 (为期 before 的 and a noun), 一盯就是三年 (speech: once begun it lasts so long): years in words
    that say how long; not 为期三年行动计划's plan, nor 一年就是三年的量."""
    value = {"三": "3", "五": "5", "两": "2"}[n]
    assert (value, "年", "2026") in values(f"要对获奖团队开展为期{n}年的跟踪服务，帮助落实政策。", year=2026)
    assert (value, "年", "2026") in values(
        f"一个团对接一个产业，一{verb}就是{n}年，不达目的不换人。", year=2026
    )
    assert not values(f"实施为期{n}年行动计划，", year=2026)
    assert not values("一年就是三年的量，", year=2026)


@given(st.integers(1000, 4000), st.integers(100, 999))
def test_a_totals_row_with_an_empty_text_cell(first, second):
    """合计　　4860　4568 under 包号　设备名称　预算金额　中标金额: two full-width gaps run together leave the 设备名称 cell
    empty; the numbers stay in their columns."""
    text = (
        "中标结果（单位：万元）\n包号　设备名称　预算金额　中标金额\n"
        f"第一包　透射电镜　{first}　{first - 100}\n第二包　能谱仪　{second}　{second - 10}\n"
        f"合计　　{first + second}　{first + second - 110}\n"
    )
    facts = values(text, year=2026)
    assert (str((first + second) * 10000), "元", "2026") in facts
    assert (str((first + second - 110) * 10000), "元", "2026") in facts


@given(st.integers(11, 40), st.integers(2, 9))
def test_a_doubtful_row_passed_over_in_a_table(count, less):
    """电子信息。〔存疑：？〕4　8 between rows (the repair could not read a figure, a gap read as 。): the line is passed
    over and the rows after it are the table's still."""
    text = (
        "重组情况如下：\n领域　重组前（家）　重组后（家）\n先进制造　24　12\n电子信息。〔存疑：？〕4　8\n"
        f"生物医药　{count}　{count - less}\n资源环境　5　3\n现代农业领域压减幅度最大。"
    )
    facts = values(text, year=2026)
    assert (str(count), "家", "2026") in facts
    assert (str(count - less), "家", "2026") in facts
    assert ("3", "家", "2026") in facts


@given(st.integers(20, 60), st.sampled_from(["现有", "共有", "目前拥有"]))
def test_a_province_opening_a_sentence_with_what_it_has(count, has):
    """瑷琿省现有国际科技合作基地42家，其中国家级9家: another province opening its sentence with what it has, its
    figures its own; the report's own province so opening (its title names it) stays the report's."""
    text = (
        "玳珂省国际科技合作基地运行情况报告\n我省今年新建基地5家。\n"
        f"瑷琿省{has}国际科技合作基地{count}家，其中国家级9家。玳珂省{has}示范基地{count + 1}家。"
    )
    facts = placed(text, year=2026)
    assert (str(count), "家", "2026", "瑷琿省") in facts
    assert ("9", "家", "2026", "瑷琿省") in facts
    assert (str(count + 1), "家", "2026", "") in facts


@given(st.integers(11, 30))
def test_a_city_said_after_its_province_with_de(count):
    """瑷琿省的琿口市，一个市就建了十二个科技小院: the city said after its province with 的 is the place."""
    text = f"玳珂省科技特派团工作会讲话\n瑷琿省的琿口市，一个市就建了{count}个科技小院，我们全省才七个。"
    facts = placed(text, year=2026)
    assert (str(count), "个", "2026", "琿口市") in facts


@given(st.sampled_from([("二十万", "200000"), ("五万", "50000"), ("三十五万", "350000")]))
def test_money_in_wan_before_a_grant(said):
    """省财政对每个团每年给二十万工作经费 (speech): 万 without 元 before 经费 is money; 从明年起 dates it (2027)."""
    words, value = said
    assert ("target", value, "元", "2027") in read(
        f"从明年起，省财政对每个团每年给{words}工作经费，", year=2026
    )
    assert ("money", value, "元", "2026") in read(f"今年市里给{words}经费，", year=2026)


@given(st.sampled_from([("八十", "九十二", "80", "92"), ("九十一", "九十六", "91", "96")]))
def test_a_share_said_bare_after_one_with_baifenzhi(said):
    """去年满意度是百分之九十一，今年做到了九十六 (speech): the number under a hundred after a verb of reaching, in the
    clause right after a share said with 百分之, is a share too, of the year its clause says."""
    a, b, va, vb = said
    facts = read(f"去年群众满意度是百分之{a}，今年做到了{b}，这个数来之不易。", year=2026)
    assert ("percent", va, "%", "2025") in facts
    assert ("percent", vb, "%", "2026") in facts
    assert not any(f[2] == "%" for f in read(f"去年评了{a}个，今年做到了{b}，", year=2026))


@given(st.integers(60, 95))
def test_a_unit_the_province_set_up_in_ours(score):
    """瑷琿省农业机械研究院去年在我省琿川市设立的…中心首次参评，得分88.4分: the centre set up in ours is ours (the
    province is in the words describing it); the province's own act stays its."""
    text = (
        "玳珂省工程技术研究中心评价结果通报\n"
        f"瑷琿省农业机械研究院去年在我省琿川市设立的智能农机中心首次参评，得分{score}.4分，评为优秀。"
        "瑷琿省科技厅今年新建中心3家。"
    )
    facts = placed(text, year=2026)
    assert (f"{score}.4", "分", "2026", "") in facts
    assert ("3", "家", "2026", "瑷琿省") in facts


@given(st.sampled_from(["第二", "第三"]))
def test_the_one_compared_with_named_by_its_place(place):
    """综合得分92.35分，比排名第二的供应商高4.25分: 第二 names the one set against, no rank of the subject."""
    facts = read(f"第一包中标供应商综合得分92.35分，比排名{place}的供应商高4.25分。", year=2026)
    assert not any(kind == "rank" for kind, *_ in facts)
    assert ("quantity", "4.25", "分", "2026") in facts


def test_more_by_one_month_in_words_said_in_passing():
    """人家…不少于一百二十天，比我们多出一个月 (speech): by one, said in passing (as 提前两年完成 in words); in digits kept."""
    facts = values("人家每个团每年在基层的时间不少于一百二十天，比我们多出一个月。", year=2026)
    assert ("120", "天", "2026") in facts
    assert ("1", "个月", "2026") not in facts
    assert ("3", "个月", "2026") in values("比上年多出3个月。", year=2026)


@given(st.integers(2, 9), st.integers(10, 99))
def test_an_index_gap_moving(before, after):
    """…综合效用值为32.08…。两省差距由上年的3.21缩小到0.62: the gap of an index said bare before in its paragraph, both
    ends quantities without a unit (the first of 上年); without an index said, nothing."""
    text = f"瑷琿省综合效用值为32.08，高出我省0.{after}。两省差距由上年的{before}.21缩小到0.{after}，我省有望赶超。"
    facts = values(text, year=2026)
    assert (f"{before}.21", "", "2025") in facts
    assert (f"0.{after}", "", "2026") in facts
    assert not values(f"两省差距由上年的{before}.21缩小到0.{after}，", year=2026)


@given(st.integers(100, 200), st.integers(50, 99))
def test_a_redacted_province_opening_a_sentence_with_last_year(before, after):
    """〔隐去〕省科学技术厅去年完成了…重组，由143个整合为96个 (the page redacted the name): 去年 opening the sentence after
    the province dates its later clauses, as with the name."""
    text = f"〔隐去〕省科学技术厅去年完成了该省重点实验室重组，由{before}个整合为{after}个。"
    facts = placed(text, year=2026)
    assert (str(before), "个", "2025", "〔隐去〕省") in facts
    assert (str(after), "个", "2025", "〔隐去〕省") in facts


def test_a_unit_a_redacted_province_set_up_in_ours():
    """〔隐去〕省…研究院去年在我省琿川市设立的…中心首次参评，得分88.4分: ours, as with the province's name."""
    text = (
        "玳珂省工程技术研究中心评价结果通报\n瑷琿省科技厅今年新建中心3家。"
        "〔隐去〕省农业机械研究院去年在我省琿川市设立的智能农机中心首次参评，得分88.4分，评为优秀。"
    )
    facts = placed(text, year=2026)
    assert ("88.4", "分", "2026", "") in facts
    assert ("3", "家", "2026", "瑷琿省") in facts
