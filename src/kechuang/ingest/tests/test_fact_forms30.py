"""Issue #15 item 4: forms of facts read from the genre's grammar (session 28, helper facts30: the forms session 27
left on dev24, dev23, dev22 and dev16): a share of a million (百万分之五), another province's laboratory named opening a
clause, a zone of another province's city, 人家 for the other region named before, a place said bare before 那边. The
sentences are written for the tests (fictional places), not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.tests.facts import placed, read, values

_WORDS = "一二三四五六七八九"


@given(st.integers(1, 9))
def test_a_share_of_ten_thousand_a_hundred_thousand_or_a_million(k):
    """百万分之五 (0.0005 %), 十万分之三 (0.003 %), 千万分之二: the share as it is, not rounded to two decimals (三分之一 is)."""
    word = _WORDS[k - 1]
    assert read(f"检测系统的误判率低于百万分之{word}；", year=2026) == {("percent", f"0.000{k}", "%", "2026")}
    assert ("percent", "0.003", "%", "2026") in read("传感器漂移量为十万分之三，", year=2026)
    assert ("percent", "0.00002", "%", "2026") in read("不良率约千万分之二。", year=2026)
    assert ("percent", "0.5", "%", "2026") in read("差错率控制在千分之五以内。", year=2026)
    assert ("percent", "33.33", "%", "2026") in read("约占三分之一。", year=2026)


@given(st.integers(11, 40), st.integers(2, 19))
def test_another_provinces_laboratory_opening_a_clause(tesla, people):
    """岷澜省凝聚态物理实验室的同类装置最高磁场为N特斯拉…；根据协议，岷澜省凝聚态物理实验室还将派出研究人员M名: the
    laboratory's province; a laboratory of the province's own kind (新建省实验室3家, 省重点实验室) names none, nor 今年省财政安排…."""
    facts = placed(
        "澄川实验室强磁场装置通过验收\n"
        f"岷澜省凝聚态物理实验室的同类装置目前最高磁场为{tesla}特斯拉，该实验室已与澄川实验室签订合作协议。"
        f"根据协议，岷澜省凝聚态物理实验室还将派出研究人员{people}名常驻澄川。",
        year=2026,
    )
    assert (str(tesla), "特斯拉", "2026", "岷澜省") in facts
    assert (str(people), "名", "2026", "岷澜省") in facts
    own = placed(
        f"澄川省科学技术厅2026年工作总结\n全年新建省实验室{people}家，新增省级重点实验室{tesla}家。",
        year=2026,
    )
    assert (str(people), "家", "2026", "") in own
    assert (str(tesla), "家", "2026", "") in own
    budget = placed(
        f"今年省财政安排澄川实验室稳定支持经费{_WORDS[people % 9]}亿元，一定要出大成果。", year=2026
    )
    assert all(place == "" for *_rest, place in budget)


@given(st.integers(2, 99))
def test_a_zone_of_another_provinces_city_opening_a_clause(n):
    """岷澜省溶口高新区管委会带领N家企业来区考察: the zone's city (溶口市), as a zone named after its province elsewhere."""
    facts = placed(
        f"澄川高新区2026年上半年科技创新工作情况报告\n岷澜省溶口高新区管委会带领{n}家企业来区考察交流。",
        year=2026,
    )
    assert facts == {(str(n), "家", "2026", "溶口市")}


@given(st.integers(11, 30), st.integers(2, 9))
def test_they_after_a_clause_of_ours_is_the_other_region_named_before(theirs, ours):
    """我们的邻居岷澜省拿了N项，我们只拿了M项，人家是我们的两倍多: 人家 is the neighbour named two clauses back (a clause of
    ours between); with no other region named before, nothing is placed."""
    facts = placed(
        f"去年的国家自然科学奖，我们的邻居岷澜省拿了{theirs}项，我们只拿了{ours}项，人家是我们的两倍多。",
        year=2026,
    )
    assert (str(theirs), "项", "2025", "岷澜省") in facts
    assert (str(ours), "项", "2025", "") in facts
    assert ("2", "倍", "2025", "岷澜省") in facts
    alone = placed(
        f"研发投入强度我们是百分之二点{_WORDS[ours - 1]}，人家先进城市已经到了百分之四以上。", year=2026
    )
    assert all(place == "" for *_rest, place in alone)


@given(st.integers(2, 9), st.integers(11, 99))
def test_a_place_said_bare_before_over_there(k, n):
    """In a city's report, 溶口那边的技术创新中心，一年服务收入做到了K千多万，我们的…有N家: 溶口市's, its clause and the
    one after it, until a clause turns to ours."""
    facts = placed(
        "在澄川市科技创新大会上的讲话\n"
        f"说到平台，我再举个例子。溶口那边的技术创新中心，一年服务收入做到了{_WORDS[k - 1]}千多万，"
        f"我们的市级工程技术研究中心有{n}家。",
        year=2026,
    )
    assert (str(k * 10_000_000), "元", "2026", "溶口市") in facts
    assert (str(n), "家", "2026", "") in facts


@given(st.integers(20, 60), st.integers(5, 20), st.integers(1, 9))
def test_a_movement_a_task_book_set_starts_when_it_was_signed(start, gain, more):
    """去年春天，…每个团队都和服务对象签了一份“里程碑任务书”。…任务书定的目标是从N%提高到M%: the start is of the year the
    task book was signed; said with no signing year, a task set now starts now (FACTS_KEY)."""
    end = start + gain
    text = (
        "科技特派员回访记\n"
        "去年春天，省科技厅选派法人科技特派员团队，每个团队都和服务对象签了一份“里程碑任务书”。\n"
        f"在溶口县的竹产业园里，团队的任务是帮企业把竹材利用率提上去。任务书定的目标是从{start}%提高到{end}%，"
        f"实际做到了{end + more}%。\n"
    )
    facts = values(text, year=2025)
    assert (str(start), "%", "2024") in facts
    assert (str(end), "%", "2025") in facts
    assert (str(end + more), "%", "2025") in facts
    unsigned = values(text.replace("签了一份“里程碑任务书”", "明确了服务内容"), year=2025)
    assert (str(start), "%", "2025") in unsigned


@given(st.integers(2027, 2035), st.integers(3, 6), st.integers(2, 40))
def test_a_plans_task_paragraph_opening_on_its_year_dates_a_movement_from_now(then, level, n):
    """二、重点任务 / （一）建设创新平台，夯实创新基础。到YYYY年，建成…N家。…技术成熟度要由现在的L级提升到9级: the
    movement's end is of the paragraph's year (a target), its start of now."""
    text = (
        "澄川市科技创新规划主要指标和重点任务\n"
        "二、重点任务\n"
        f"（一）建设高能级创新平台，夯实创新基础。到{then}年，建成省级以上重点实验室{n}家。"
        f"澄川陶瓷研究院的轴承球技术成熟度要由现在的{level}级提升到9级。\n"
    )
    facts = read(text, year=2026)
    assert ("count", str(n), "家", str(then)) in facts or ("target", str(n), "家", str(then)) in facts
    assert ("level", str(level), "级", "2026") in facts
    assert ("target", "9", "级", str(then)) in facts


@given(st.integers(3, 9), st.integers(2, 5), st.integers(11, 99))
def test_last_year_bare_dates_its_sentence_not_the_paragraphs_next(n, days, m):
    """去年，省科技厅向溶口县选派了…特派团。团队一共N名专家，每人每周不少于D天: 去年 bare dates the event its sentence
    tells; the sentences after it are of the report's year. 过去一年，… (the year summed up) goes on with the paragraph."""
    text = (
        f"去年，省科技厅向溶口县选派了由澄川大学专家组成的茶产业科技特派团，当年新建示范园{m}个。"
        f"团队一共{_WORDS[n - 1]}名专家，按照要求，每人每周在村里不少于{_WORDS[days - 1]}天。"
    )
    facts = values(text, year=2026)
    assert (str(m), "个", "2025") in facts
    assert (str(n), "名", "2026") in facts
    assert (str(days), "天/周", "2026") in facts
    summed = values(f"过去一年，全县科技工作取得新进展。高新技术企业达到{m}家。", year=2026)
    assert (str(m), "家", "2025") in summed
    # (a sentence pointing back to it, 当年, goes on with it: a sentence end a site put inside the one before)
    back = values(f"去年，这家企业引进了一项深。焊接技术，当年新增产值{m}亿元。", year=2026)
    assert (str(m * 100_000_000), "元", "2025") in back


@given(st.integers(11, 99), st.integers(2, 9))
def test_a_clause_end_eaten_inside_an_uncertain_mark(n, k):
    """…金额14.2亿元〔存疑：？寷〕I省溶口市科学技术局带领N家企业来澄考察，签订合作协议K项: the decoder ate the 。 and the
    province's first characters into the mark; the ？ inside it is no clause end, the masked province after it opens
    one, and the city named after it is another's (溶口市)."""
    text = (
        "澄川省科学技术厅2026年工作总结\n"
        "岷澜省科学技术厅组团参展，带来成果415项。我省参展成果945项，现场签约金额14.2亿元〔存疑：？寷〕I省"
        f"溶口市科学技术局带领{n}家企业来澄考察，签订合作协议{k}项。"
    )
    facts = placed(text, year=2026)
    assert (str(n), "家", "2026", "溶口市") in facts
    assert (str(k), "项", "2026", "溶口市") in facts
    assert ("1420000000", "元", "2026", "") in facts


@given(st.integers(11, 99), st.integers(2, 9))
def test_a_region_redacted_in_every_mention_set_against_ours(n, k):
    """邻省〔隐去〕省…为N件，约为我省的K倍；该省…: every mention of the neighbour redacted, nothing on the page says which
    it was — its figures are another province's, its name redacted (never the report's own); a redacted province whose
    sentence says nothing of ours (〔隐去〕省科学技术厅全年登记…) may be the report's own department and stays unplaced."""
    text = (
        "澄川省知识产权局2026年专利统计\n"
        f"成绩面前，差距依然明显。邻省〔隐去〕省每万人口高价值发明专利拥有量为{n}.5件，约为我省的{k}倍；"
        f"该省有效发明专利已超过{n}万件。\n"
        f"〔隐去〕省科学技术厅全年登记技术合同{k}万项。"
    )
    facts = placed(text, year=2026)
    assert (f"{n}.5", "件", "2026", "〔隐去〕省") in facts
    assert (str(k), "倍", "2026", "〔隐去〕省") in facts
    assert (str(n * 10000), "件", "2026", "〔隐去〕省") in facts
    assert (str(k * 10000), "项", "2026", "") in facts
