"""Issue #15 item 4 on damaged text (session 27, helper facts28): another region's figures when a site redacted its
name (〔隐去〕) before the clauses that go on with it, the report's own name redacted in its title, a lead over ours
said after another province's rank, and a city's institute of another province that signs with us. The sentences
are written for the tests (fictional places), not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.parsers.extract import _other_cities, _redacted_names
from kechuang.ingest.tests.facts import placed

_WORDS = "一二三四五六七八九"


def _read(text: str) -> set[tuple]:
    return placed(text, 2026)


_PROVINCE_REPORT = "澄川省科学技术厅2026年工作总结\n"


@given(st.integers(11, 999), st.integers(2, 9))
def test_a_redacted_province_is_the_one_other_the_page_names(n, m):
    """〔隐去〕省科学技术厅组织N家单位参展，带来成果M项: the name is gone, the slot is not; the one other province the page
    still names (its department, a flow with ours) is the subject, and the clauses after go on with it."""
    text = (
        f"{_PROVINCE_REPORT}我省企业吸纳岷澜省技术的合同成交额12亿元。\n"
        f"〔隐去〕省科学技术厅组织{n}家单位参展，带来成果{_WORDS[m - 1]}十项，并将投入资金1.5亿元。"
    )
    facts = _read(text)
    assert (str(n), "家", "2026", "岷澜省") in facts
    assert (str(m * 10), "项", "2026", "岷澜省") in facts
    assert ("150000000", "元", "2026", "岷澜省") in facts
    # 该省 after it names the same province; an agreement with ours passes it on to the clause after
    said = _read(
        f"{_PROVINCE_REPORT}岷澜省科学技术厅与我厅召开联席会议。\n"
        f"〔隐去〕省科学技术厅在会上介绍，该省已开放科研仪器{n}台（套）。"
        f"〔隐去〕省科学技术厅已与我厅签订创新券互通协议，该厅认定的{m}家服务机构可以承接我省企业的服务。"
    )
    assert (str(n), "台（套）", "2026", "岷澜省") in said
    assert (str(m), "家", "2026", "岷澜省") in said


@given(st.integers(11, 999))
def test_a_redacted_province_stays_unread_when_the_page_names_two_or_none(n):
    """With two other provinces named, or none, nothing tells which the redacted one is: its figure stays unplaced
    (the report's own, as before), never guessed; words before 省 that are no name (交易会由省科技厅, 记者跟随省科技厅)
    are no candidate."""
    two = _read(
        f"{_PROVINCE_REPORT}岷澜省科学技术厅、溇屿省科学技术厅派员参会。\n〔隐去〕省科学技术厅组织{n}家单位参展。"
    )
    assert (str(n), "家", "2026", "") in two
    junk = "交易会由省科技厅主办，记者跟随省科技厅采访。"
    assert (str(n), "家", "2026", "") in _read(
        f"{_PROVINCE_REPORT}{junk}\n〔隐去〕省科学技术厅组织{n}家单位参展。"
    )
    assert _redacted_names(junk, {"会由省", "者跟随省"}, set()) == ("", {})
    # the report's own province, named in its title and signature, is not the other one
    assert _redacted_names(f"{_PROVINCE_REPORT}……\n澄川省科学技术厅", {"澄川省"}, set())[0] == ""


_CITY_REPORT = "〔隐去〕市科学技术局2026年工作总结\n"


@given(st.integers(11, 99), st.integers(101, 999))
def test_a_redacted_city_after_its_province_and_a_city_report_whose_name_is_redacted(n, m):
    """In a city's report whose title's name a site redacted, another city named with its department is still
    another region; 岷澜省〔隐去〕市科技局在我市设立联络站，全年推介成果N项 is the one city of that province the page
    names; a redacted city said bare is the other city only when its clause says so (组织该市…, 来…对接)."""
    text = (
        f"{_CITY_REPORT}一、合作\n砚湄市科技局组织企业{n}家来访。岷澜省渌江市代表团到会。"
        f"岷澜省〔隐去〕市科技局在我市设立科技合作联络站，全年推介成果{m}项。"
    )
    facts = _read(text)
    assert (str(n), "家", "2026", "砚湄市") in facts
    assert (str(m), "项", "2026", "渌江市") in facts
    visit = _read(
        f"{_CITY_REPORT}砚湄市科技局带队来访。\n〔隐去〕市科学技术局组织{n}家企业来我市对接，发布需求{m}项。"
    )
    assert (str(n), "家", "2026", "砚湄市") in visit
    assert (str(m), "项", "2026", "砚湄市") in visit
    # said bare, with nothing saying it is another city: the report's own as likely, left unplaced
    own = _read(
        f"{_CITY_REPORT}砚湄市科技局带队来访。\n今年起，〔隐去〕市还对成交额超过5000万元的经纪人奖励{n}万元。"
    )
    assert (str(n * 10000), "元", "2026", "") in own


def test_a_market_is_no_city():
    """茗沚省技术市场 (a title broken before it): 技术市 is no city of another province."""
    assert _other_cities("2025年上\n半年茗沚省技术市场运行情况\n技术开发合同成交额251.7亿元。") == set()
    assert ("25170000000", "元", "2025", "") in placed(
        "2025年上\n半年茗沚省技术市场运行情况\n〔隐去〕技术开发合同成交额251.7亿元。", 2025
    )


@given(st.integers(2, 9), st.integers(11, 19))
def test_a_lead_over_ours_goes_on_with_the_other_province(rank, lead):
    """岷澜省今年综合排名第N位，但其知识获取指标居全国第六位，领先我省M位: the lead over ours is the province's
    figure (as 比我省多, 高于我省)."""
    facts = _read(
        f"与周边省份相比，我省排名已超过岷澜省。岷澜省今年综合排名第{rank}位，"
        f"但其知识获取指标居全国第{_WORDS[rank - 2]}位，领先我省{lead}位。"
    )
    assert (str(lead), "位", "2026", "岷澜省") in facts
    assert (str(rank), "位", "2026", "岷澜省") in facts


@given(st.integers(2, 9), st.integers(2, 9))
def test_a_city_institute_of_another_province_that_signs_with_us(n, m):
    """岷澜省渌江市农产品加工研究所与基地签订合作协议，派驻研究人员N名，带来技术M项 (a report not a department's): the
    city's institute is the subject of the clauses after its agreement, as a department's is."""
    facts = _read(
        "澄水市果蔬中试基地2026年度运行报告\n四、开放合作\n"
        f"岷澜省渌江市农产品加工研究所与基地签订合作协议，派驻研究人员{n}名，带来加工技术{m}项。"
        "基地全年接待参观2100人次。"
    )
    assert (str(n), "名", "2026", "渌江市") in facts
    assert (str(m), "项", "2026", "渌江市") in facts
    assert ("2100", "人次", "2026", "") in facts


@given(st.integers(11, 99), st.integers(2, 9))
def test_a_county_report_whose_name_is_redacted_and_a_garbled_province(n, m):
    """〔隐去〕县科学技术局…工作总结: the county's city named with its department is another region (as in a county's
    report whose name is shown); 寷I省农业科学院在我县建立鉴定点N个 (a decoder's letter in the name) is the one other
    province the page still names; with none named, nothing tells whose it is (the report's own academy garbled
    reads the same): left unplaced, as before."""
    county = "〔隐去〕县科学技术局2026年工作总结\n在硖阳市科学技术局的指导下，我县科技工作取得新进展。"
    facts = _read(f"{county}硖阳市科学技术局组织市农科所专家{n}人来我县开展技术服务，举办培训班{m}期。")
    assert (str(n), "人", "2026", "硖阳市") in facts
    assert (str(m), "期", "2026", "硖阳市") in facts
    garbled = f"寷I省农业科学院在我县建立鉴定点{_WORDS[m - 1]}个。"
    named = _read(f"{county}\n岷澜省科学技术厅派员来访。{garbled}")
    assert (str(m), "个", "2026", "岷澜省") in named
    alone = _read(f"{county}\n{garbled}")
    assert (str(m), "个", "2026", "") in alone


@given(st.integers(50, 89), st.integers(1, 9))
def test_a_movement_after_an_event_dated_last_year_earlier_in_the_paragraph(start, gain):
    """“我们的提纯技术，就是在去年的对接会上找到的。”企业负责人介绍，企业与一所高校合作后，纯度从N%提高到M%: the start
    is of when the event was (the year before); the end is now. Without the event dated (or with 今年 said between,
    or no 后 clause), the start is the report's year, as before."""
    end = start + gain
    story = (
        "澄川科技成果对接会在澄州举行。\n“我们的提纯技术，就是在去年的对接会上找到的。”"
        f"企业负责人介绍，企业与一所高校合作后，产品纯度从{start}%提高到{end}%。"
    )
    facts = _read(story)
    assert (str(start), "%", "2025", "") in facts
    assert (str(end), "%", "2026", "") in facts
    now = story.replace("企业负责人介绍，", "企业负责人介绍，今年")
    assert (str(start), "%", "2026", "") in _read(now)
    plain = story.replace("企业与一所高校合作后，", "")
    assert (str(start), "%", "2026", "") in _read(plain)
    compared = story.replace("就是在去年的对接会上找到的", "比去年更成熟")
    assert (str(start), "%", "2026", "") in _read(compared)
