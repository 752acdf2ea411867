"""Issue #15 item 4: fact forms of the dev41 split (session 35, helper facts44). The sentences are written for the
tests (fictional places: 鹫岭省, its city 鹫口市, the city 鸱州市 and the county 鸲溪县), not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.tests.facts import placed, values


@given(st.integers(300, 900), st.integers(10, 99), st.integers(1, 9))
def test_a_budget_table_of_two_years_and_its_change(now, before, change):
    """项目　2026年预算数　2025年预算数　增减 under （单位：万元、%）: 预算数 is an amount (not a number of things, as
    项目数 is), each column of its year; 增减 is the change, in % (a fall written -6.5)."""
    text = (
        "鸱州市科学技术局2026年部门预算公开说明\n"
        "支出预算分项表（单位：万元、%）\n"
        "项目　2026年预算数　2025年预算数　增减\n"
        f"基础研究　{now}.00　{before}0.00　-{change}.5\n"
        f"科学技术普及　{now + 20}.50　{before}8.00　{change}.1\n"
    )
    facts = values(text, year=2026)
    assert (str(now * 10000), "元", "2026") in facts
    assert (str(before * 100000), "元", "2025") in facts
    assert (f"-{change}.5", "%", "2026") in facts
    assert (str((now + 20) * 10000 + 5000), "元", "2026") in facts
    assert (f"{change}.1", "%", "2026") in facts


@given(st.integers(200, 3000))
def test_items_served_once_counted_in_jian_ci(n):
    """维修展品1840件次: 件次 (an item served once) is the measure word as written, as 项次 and 人次 are."""
    facts = values(f"鸱州市科技馆工作通报\n全年更新展品126件，维修展品{n}件次，展品完好率98.5%。", year=2026)
    assert (str(n), "件次", "2026") in facts
    assert (str(n), "件", "2026") not in facts


@given(st.integers(1, 28), st.integers(1, 12))
def test_the_date_of_another_regions_visit_is_ours(day, month):
    """鹫岭省科技馆于6月18日来我馆举办巡回展，带来展品64件: the visitor's figures are its own, the date is the report's
    (no key places a date with another region)."""
    text = (
        "鸱州市科技馆工作通报\n"
        f"鹫岭省科技馆于{month}月{day}日来我馆举办巡回展，带来展品64件。"
        f"鹫岭省鹫口市科学技术局于{month}月{day}日组织12家企业来鸱州交流，带来项目15个。"
    )
    facts = placed(text, year=2026)
    assert (f"2026-{month:02d}-{day:02d}", "date", "2026", "") in facts
    assert not any(f[1] == "date" and f[3] for f in facts)
    assert ("64", "件", "2026", "鹫岭省") in facts
    assert ("15", "个", "2026", "鹫口市") in facts


@given(st.integers(2, 9), st.integers(11, 99))
def test_ours_toward_the_region_pointed_back_at(cases, items):
    """鹫岭省科学技术厅向我厅移送线索3件；我厅向该省移送线索2件 / 我馆同期赴该省巡展展品48件: a clause opening on ours
    whose act goes to 该省 is ours (该省 says where); a flow 该省企业吸纳我省技术 is ours too (FACTS_KEY), while
    该省 opening its own clause stays the province's."""
    text = (
        "鸱州市科技工作简报\n"
        f"鹫岭省科学技术厅上半年向我厅移交线索{cases + 1}件；该省登记技术合同{items + 100}项；我厅向该省移交线索{cases}件。"
        f"我馆同期赴该省巡展展品{items}件。该省企业吸纳我省技术{items}.5亿元。"
    )
    facts = placed(text, year=2026)
    assert (str(cases + 1), "件", "2026", "鹫岭省") in facts
    assert (str(cases), "件", "2026", "") in facts
    assert (str(items), "件", "2026", "") in facts
    assert (str(items * 100_000_000 + 50_000_000), "元", "2026", "") in facts
    assert (str(items + 100), "项", "2026", "鹫岭省") in facts


@given(st.integers(1, 9), st.integers(1, 3), st.integers(4, 8))
def test_dates_written_with_marks(month, first, last):
    """发布时间：2026-10-09 (a page's date line) is a date of its year (inside a sentence a hyphenated date stays unread:
    test_fact_forms36); 10.1至10.3为入馆高峰 a span of two dates where the paragraph names the
    month before (国庆假期（10月1日至8日）…), while a range of decimals with a unit (亩产3.5至4.2吨) and a dotted pair whose
    month the paragraph does not name stay what they were."""
    text = (
        "鸱州市科技馆观众接待情况通报\n"
        f"发布时间：2025-0{month}-1{first}\n"
        f"假期（{month}月1日至8日）我馆照常开放。{month}.{first}至{month}.{last}为入馆高峰，请观众错峰参观。"
        f"示范田亩产{first}.5至{last}.2吨。\n"
        f"另有{month % 9 + 1}.{first}至{month % 9 + 1}.{last}为检修期。"
    )
    facts = values(text, year=2026)
    assert (f"2025-0{month}-1{first}", "date", "2025") in facts
    assert (f"2026-0{month}-0{first}", "date", "2026") in facts
    assert (f"2026-0{month}-0{last}", "date", "2026") in facts
    assert (f"{first}.5", "吨", "2026") in facts and (f"{last}.2", "吨", "2026") in facts
    assert not any(v.startswith(f"2026-0{month % 9 + 1}-") for v, _u, _p in facts if month % 9 + 1 != month)


@given(st.integers(20, 90), st.integers(2, 9))
def test_a_class_bound_after_a_clause_of_an_earlier_year(bound, n):
    """截至2025年12月31日，本部门共有车辆2辆；单位价值50万元以上的专用设备3台 in a 2026 report: the class's bound (a
    figure and its bound before 的) is of the report's year, the class's count of 2025 (FACTS_KEY, facts33)."""
    text = (
        "鸱州市科学技术局2026年部门预算公开说明\n"
        f"截至2025年12月31日，本部门共有车辆{n}辆；单位价值{bound}万元以上的专用设备{n + 1}台。"
        f"2025年，营业收入超过{bound}亿元的企业{n + 10}家。"
    )
    facts = values(text, year=2026)
    assert (str(bound * 10000), "元", "2026") in facts
    assert (str(n + 1), "台", "2025") in facts
    assert (str(n), "辆", "2025") in facts
    # (the year opening the very clause of the bound keeps it: only a clause after the year's is ruled)
    assert (str(bound * 100_000_000), "元", "2025") in facts


@given(st.integers(5, 20), st.integers(1, 4))
def test_a_rank_of_an_earlier_round_and_a_first_place_kept(before, after):
    """由2023年评价的第9位升至第3位: the start of the rank's movement is of the round the text names (2023), as 由2023年
    的 is; 连续保持全市第一 is a rank (1), as 居第一 is."""
    text = (
        "鸱州市新型研发机构绩效评价结果\n"
        f"鸲溪研究院得分90.5分，由2023年评价的第{before}位升至第{after}位。鸱州创业服务中心连续保持全市第一，综合得分95分。"
    )
    facts = values(text, year=2026)
    assert (str(before), "位", "2023") in facts
    assert (str(after), "位", "2026") in facts
    assert ("1", "位", "2026") in facts


def test_each_end_of_a_movement_said_with_its_year():
    """差距由前年的零点五个百分点缩小到去年的零点三个百分点: each end of the movement is of the year said with it (2024,
    2025), not both of 前年; 由去年的5家扩大到今年的11家 too."""
    text = (
        "鸱岭省科技创新工作新闻发布会实录\n"
        "省科技厅厅长：我们的研发投入强度和他们的差距由前年的零点五个百分点缩小到去年的零点三个百分点。"
        "合作银行由去年的5家扩大到今年的11家。"
    )
    facts = values(text, year=2026)
    assert ("0.5", "百分点", "2024") in facts
    assert ("0.3", "百分点", "2025") in facts
    assert ("5", "家", "2025") in facts
    assert ("11", "家", "2026") in facts


@given(st.integers(200, 900), st.integers(2, 9))
def test_an_agreement_with_ours_said_in_speech(instruments, thousands):
    """今年鹫岭省科学技术厅和我们签了合作协议，向我省开放大型科研仪器八百台（套），共享评审专家两千多名: the other
    department signing with ours is the subject of the clauses after it (facts23's 与我厅签署…协议), a time before it,
    和 for 与 and 签了 said in speech."""
    text = (
        "鸱岭省科技创新工作新闻发布会实录\n"
        "省科技厅厅长：我们的邻居鹫岭省去年高新技术企业超过了一万五千家。"
        f"今年鹫岭省科学技术厅和我们签了合作协议，向我省开放大型科研仪器{instruments}台（套），"
        f"共享评审专家{thousands}00多名。我省新建平台12个。"
    )
    facts = placed(text, year=2026)
    assert (str(instruments), "台（套）", "2026", "鹫岭省") in facts
    assert (str(thousands * 100), "名", "2026", "鹫岭省") in facts
    assert ("12", "个", "2026", "") in facts


@given(st.integers(2, 9), st.integers(300, 900), st.integers(101, 199))
def test_another_provinces_group_and_a_city_described_as_our_like(fairs, jobs, share):
    """鹫岭省人才发展集团今年在我市举办专场招聘会2场，提供岗位860个: another province's group opening its sentence names
    the province, as its institutes do; 与我市同为省会城市的鹫口市，今年引进外国人才410人，是我市的1.37倍: the city described
    as our like is the subject of the clauses after it, as after other words describing it (facts35)."""
    text = (
        "鸱州市科学技术局2026年引才引智工作总结\n"
        f"鹫岭省人才发展集团今年在我市举办专场招聘会{fairs}场，提供岗位{jobs}个。我市引进外国人才300人。\n"
        f"与我市同为省会城市的鹫口市，今年引进外国人才{jobs + 10}人，是我市的1.{share % 100:02d}倍，其做法值得借鉴。"
    )
    facts = placed(text, year=2026)
    assert (str(fairs), "场", "2026", "鹫岭省") in facts
    assert (str(jobs), "个", "2026", "鹫岭省") in facts
    assert ("300", "人", "2026", "") in facts
    assert (str(jobs + 10), "人", "2026", "鹫口市") in facts
    assert any(f[1] == "倍" and f[3] == "鹫口市" for f in facts)


@given(st.integers(60, 89), st.integers(50, 99))
def test_joint_with_our_city_and_the_bodies_of_a_province_before_a_year(score, money):
    """鹫岭省科学院与鸲州市共建的鸲州分院…，得分88.7分: joint with a city of the report's own, the report's own (FACTS_KEY:
    not a joint figure); 该省机构2025年平均研发投入7200万元，比我省高19.4%: a year after the region and the bodies it
    counts dates the clause and the comparison going on with it (2025), the province's."""
    text = (
        "鸱岭省新型研发机构绩效评价结果通报\n"
        f"鹫岭省科学院与鸲州市共建的鸲州分院首次参评即获评优秀，得分{score}.7分。\n"
        f"鹫岭省科学技术厅同期公布的评价结果显示，该省参评机构88家；该省机构2025年平均研发投入{money}00万元，比我省高19.4%。"
    )
    facts = placed(text, year=2026)
    assert (f"{score}.7", "分", "2026", "") in facts
    assert ("88", "家", "2026", "鹫岭省") in facts
    assert (str(money * 1_000_000), "元", "2025", "鹫岭省") in facts
    assert ("19.4", "%", "2025", "鹫岭省") in facts


@given(st.integers(100, 900), st.integers(100, 900))
def test_a_tables_rows_after_one_the_page_damaged(first, second):
    """A damaged page's table goes on past a row it cannot read: a first row whose label the page lost (`　1126.30　…`
    under the header: the header is looked for above it, the row itself not read) and a row whose gap the repair's
    marks took (`高等学〔存疑：？〕〔存疑：？〕203　27.4`: passed over, its figures unsure)."""
    budget = (
        "鸱州市科学技术局2026年部门预算公开说明\n"
        "支出预算分项表（单位：万元、%）\n"
        "项目　2026年预算数　2025年预算数　增减\n"
        "　1126.30　1098.50　2.5\n"
        f"基础研究　{first}.00　{second}.00　-6.5\n"
        "应用研究　2380.00　2150.00　10.7\n"
    )
    facts = values(budget, year=2026)
    assert (str(first * 10000), "元", "2026") in facts
    assert (str(second * 10000), "元", "2025") in facts
    assert ("-6.5", "%", "2026") in facts and ("10.7", "%", "2026") in facts
    assert not any(v == "11263000" for v, _u, _p in facts)
    kinds = (
        "鸱州市科技成果登记情况\n"
        "按第一完成单位分（单位：项、%）\n"
        "单位类型　成果数　占比\n"
        "企业　2108　48.1\n"
        "高等学〔存疑：？〕〔存疑：？〕203　27.4\n"
        f"科研院所　{first}　15.5\n"
        f"合计　{first + 4000}　100.0\n"
    )
    facts = values(kinds, year=2025)
    assert (str(first), "项", "2025") in facts
    assert (str(first + 4000), "项", "2025") in facts
    assert ("15.5", "%", "2025") in facts
    assert ("27.4", "%", "2025") not in facts  # (the row passed over, its figures unsure)
