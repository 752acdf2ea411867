"""Issue #15 item 4 on the dev split of the project's corpus (never the held-out split): every form of
fact the issue lists occurs in the dev keys, and each key fact of that form is extracted from its clean
dev text at its own place with value, unit and period right (amounts in yuan).

A form is found by what the key says (its figure as written, its unit, its kind), so a form the dev keys
lack fails here instead of passing by having nothing to check.
"""

import importlib.util
import re
import sys
from pathlib import Path

import pytest

from kechuang.ingest.parsers import extract_facts
from kechuang.ingest.tests.facts import read as _read

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "ingest"


def _corpus_eval():
    name = "kechuang_bench_corpus_eval"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, BENCH / "corpus_eval.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


ce = _corpus_eval()
_CN = re.compile(r"[一二两三四五六七八九十百千]")

# form -> does a key fact have it (from the key's figure, unit and kind)
FORMS = {
    "a number in Chinese words (分三批, 五大领域, 超过七成, 突破千亿元)": lambda g: (
        g["kind"] in ("count", "percent", "money", "target")
        and _CN.search(g["figure"]) is not None
        and not re.search(r"\d", g["figure"])
    ),
    "a 万- or 亿-scaled count (3.6万项)": lambda g: (
        g["kind"] == "count" and re.search(r"\d[万亿]", g["figure"])
    ),
    "percentage points": lambda g: g["unit"] == "百分点",
    "measure word 场": lambda g: g["unit"] == "场",
    "measure word 场次": lambda g: g["unit"] == "场次",
    "measure word 批次": lambda g: g["unit"] == "批次",
    "unit 摄氏度": lambda g: g["unit"] in ("摄氏度", "℃"),
    "unit 小时": lambda g: g["unit"] == "小时",
    "unit 瓦时/千克": lambda g: g["unit"] == "瓦时/千克",
    "unit 弧分": lambda g: g["unit"] == "弧分",
    "a technology readiness level": lambda g: g["unit"] == "级",
    "a target with its own year": lambda g: g["kind"] == "target",
    "an amount in 万元 or 亿元, stored in yuan": lambda g: (
        g["unit"] == "元" and re.search(r"[万亿]元", g["figure"])
    ),
}


def _dev_facts():
    out = []
    for doc in ce.load_corpus("dev"):
        for g in doc.key["facts"]:
            out.append((doc, g))
    return out


DEV = _dev_facts()
_EXTRACTED: dict[str, list] = {}


def _extracted(doc):
    if doc.id not in _EXTRACTED:
        _EXTRACTED[doc.id] = extract_facts(doc.text, year=doc.year)
    return _EXTRACTED[doc.id]


def _found_at_its_place(doc, g) -> bool:
    """An extracted fact over the key's figure with the key's value, unit and period."""
    s, e = g["offset"], g["offset"] + len(g["figure"])
    want = ce.fact_key(g["value"], g["unit"], g["period"])
    return any(
        f.start < e and s < f.end and ce.fact_key(f.value, f.unit, f.period) == want for f in _extracted(doc)
    )


@pytest.mark.parametrize("form", list(FORMS))
def test_every_form_of_item_4_is_in_the_dev_keys_and_found_at_its_place(form):
    cases = [(doc, g) for doc, g in DEV if FORMS[form](g)]
    assert cases, f"the dev keys have no fact of the form {form}"
    missed = [
        (doc.id, g["figure"], g["value"], g["unit"], g["period"])
        for doc, g in cases
        if not _found_at_its_place(doc, g)
    ]
    assert not missed, missed


def test_a_rank_movement_gives_both_ranks_in_the_dev_keys():
    """由上年的第19位升至第15位: the key holds both ranks of a movement (the first the year before), and both
    are extracted."""
    movements = [
        (doc, g)
        for doc, g in DEV
        if g["kind"] == "rank"
        and re.search(
            r"由[^，。；]{0,8}第[\d一二三四五六七八九十]+[位名][^，。；]{0,4}(?:升|降|提升|前移|后移)",
            g["quote"],
        )
    ]
    assert len(movements) >= 2
    by_quote: dict[tuple, list] = {}
    for doc, g in movements:
        by_quote.setdefault((doc.id, g["quote"]), []).append(g)
    for (doc_id, _quote), ranks in by_quote.items():
        doc = next(d for d, _g in movements if d.id == doc_id)
        assert len(ranks) == 2, ranks
        # the first is of an earlier year (the year before, or the year the sentence says: 由2020年的第4位)
        assert int(ranks[0]["period"]) < int(ranks[1]["period"])
        assert all(_found_at_its_place(doc, g) for g in ranks)


# ----------------------------------------------------------------------------- dev8's forms (session 19)
# Each form below was missed (or read wrongly) on dev8's unseen batches; the sentences are written for the
# test in the genre's wording, not copied from the split.


def test_one_in_words_after_what_it_counts_at_a_clauses_end_is_a_count():
    """新获批全国重点实验室一个， / 其中国家级一个、 / 孵化器一家。: one, named after what it counts (一批, 一个
    elsewhere stay no count: 统一个, 其中一个, 每一个)."""
    assert ("count", "1", "个", "2025") in _read("全年新建工程研究中心一个，实现零的突破。")
    assert ("count", "1", "个", "2025") in _read("市级技术中心40个，其中国家级一个、省级12个。")
    assert ("count", "1", "家", "2025") in _read("新增省级众创空间一家。")
    assert not _read("形成了一批成果，其中一个，已经转化。")


def test_an_amount_in_kuai_qian_said_in_speech_is_money_in_yuan():
    assert ("money", "3", "元", "2025") in _read("他说：“每斤多卖三块钱，日子好过多了。”")
    assert ("money", "5", "元", "2025") in _read("每公斤能多卖5块钱。")


def test_a_place_among_the_first_so_many_without_a_measure_word_is_a_rank():
    """进了前三十 (前40名 was read already): the rank bound, in 位."""
    assert ("rank", "30", "位", "2025") in _read("在全国城市创新能力评价中，我们第一次进了前三十。")
    assert ("rank", "50", "位", "2025") in _read("该高新区首次跻身前50。")


def test_a_span_of_days_written_ri_before_nei_is_a_quantity_and_a_date_stays_a_date():
    got = _read("各单位应自通知印发之日起三十日内完成自查，并于2026年3月31日前报送。")
    assert ("quantity", "30", "日", "2025") in got
    assert ("date", "2026-03-31", "date", "2026") in got
    assert ("quantity", "15", "日", "2025") in _read("受理后15日内反馈。")


def test_working_days_in_words_are_a_quantity():
    assert ("quantity", "10", "个工作日", "2025") in _read("审批时间压缩到十个工作日以内。")


def test_about_so_many_in_two_neighbouring_numerals_is_not_a_figure():
    """两三天, 三四家: about so many."""
    assert not _read("经纪人两三天就能把专家请到车间，三四家企业也跟着来了。")


def test_one_span_said_in_passing_is_not_a_figure():
    """一个月都批不下来 (speech: one of a span with 都, 就 after it) is not a duration recorded; 十个月的攻关 is."""
    assert not _read("申请一笔贷款要跑好几趟，一个月都批不下来。")
    assert ("quantity", "10", "个月", "2025") in _read("经过十个月的攻关，样机通过测试。")


def test_a_few_referred_to_by_zhe_are_not_counted_again_but_a_sum_is():
    """这两个数字 refers to figures just given; 这二十七家高新区 sums 6家 and 21家."""
    got = _read("前三季度，这两个数字分别达到1415项和28.9亿元。")
    assert ("count", "2", "个", "2025") not in got
    assert ("count", "27", "家", "2025") in _read(
        "现有国家高新区6家、省级21家，这二十七家高新区贡献了四成营收。"
    )


def test_a_unit_per_a_unit_after_a_slash_is_one_unit():
    got = _read("单槽产氢量不低于1000标准立方米/小时，直流电耗不高于4.3千瓦时/标准立方米。")
    assert ("quantity", "1000", "标准立方米/小时", "2025") in got
    assert ("quantity", "4.3", "千瓦时/标准立方米", "2025") in got
    assert ("quantity", "1000", "标准立方米", "2025") not in got


def test_years_ago_in_a_clause_of_when_dates_the_next_clause():
    """四年前首届大会表彰的时候，获奖项目只有三十一项，这一届是八十八项."""
    got = _read("四年前首届大会表彰的时候，获奖项目只有三十一项，这一届是八十八项。")
    assert ("count", "31", "项", "2021") in got
    assert ("count", "88", "项", "2025") in got


def test_jin_and_numerals_of_hundreds_in_words_are_quantities():
    """亩产只有八百多斤 (a numeral of hundreds in words, 斤) and 2100斤."""
    got = _read("2023年，亩产只有八百多斤。今年亩产提高到2100斤。")
    assert ("quantity", "800", "斤", "2023") in got
    assert ("quantity", "2100", "斤", "2025") in got


def test_the_year_a_sentence_opens_with_shang_yi_niandu_holds_in_its_later_clauses():
    """上一年度在孵企业2874家，当年新增毕业企业213家，研发投入9.6亿元 (与上一年度相比 stays a comparison)."""
    got = _read("参评孵化器上一年度在孵企业2874家，当年新增毕业企业213家，研发投入9.6亿元。")
    assert {("count", "213", "家", "2024"), ("money", "960000000", "元", "2024")} <= got
    assert ("count", "57", "项", "2025") in _read("与上一年度相比，转化项数增加57项。")


def test_a_rules_bound_with_a_sanction_is_of_the_reports_year():
    """上一年度使用率低于50%的服务机构，暂停其服务资格: whom a rule covers, a bound of now."""
    assert ("percent", "50", "%", "2025") in _read("上一年度创新券使用率低于50%的服务机构，暂停其服务资格。")


def test_one_span_before_yao_is_said_in_passing():
    assert not _read("何老师一个月要往山里跑十几趟。")


def test_the_end_of_a_span_of_years_dates_the_spans_average_growth():
    """2021—2024年年均增长23.4% (the span's last year; （2020—2024年）的运行绩效 dates nothing)."""
    assert ("percent", "23.4", "%", "2024") in _read(
        "技术合同成交额。2021—2024年年均增长23.4%，2024年达到88.6亿元。"
    )
    got = _read("从评估期内（2020—2024年）的运行绩效看，参评实验室共承担国家级科研项目1142项。")
    assert ("count", "1142", "项", "2025") in got


def test_the_session_before_is_the_year_before():
    """由上届的每人100万元提高到200万元 (an annual award: the session before is last year's)."""
    got = _read("突出贡献奖奖金由上届的每人100万元提高到200万元。")
    assert {("money", "1000000", "元", "2024"), ("money", "2000000", "元", "2025")} <= got


def test_a_paragraph_of_the_evaluated_years_data_is_that_years():
    """以2024年度数据为依据 … 从运行情况看，…研发人员4386人: the data year's; a grade clause (获评A档) stays now."""
    text = (
        "市科技局以2024年度数据为依据，对全市31家新型研发机构开展了绩效评价。\n"
        "从运行情况看，参评机构共有研发人员4386人，实现技术性收入18.7亿元。其中，共建的两家机构均获评A档。\n"
    )
    got = _read(text)
    assert {("count", "4386", "人", "2024"), ("money", "1870000000", "元", "2024")} <= got
    assert ("count", "2", "家", "2025") in got


def test_dev8s_amounts_are_stored_in_yuan_and_shown_in_the_reports_unit():
    """Issue #15 item 4 on dev8: every amount the key writes with 万 or 亿 (689.4亿元, 386.5万元, 2.71万亿元) is
    extracted at its place in yuan, and shown as the report wrote it (the page's ShownFigure)."""
    from decimal import Decimal

    from kechuang.ingest.models import ShownFigure

    class Shown(ShownFigure):
        def __init__(self, f):
            self.value, self.scale, self.unit, self.value_text = f.value, f.scale, f.unit, str(f.value)

    cases = missed = 0
    for doc in ce.load_corpus("dev8"):
        facts = extract_facts(doc.text, year=doc.year)
        for g in doc.key["facts"]:
            m = re.fullmatch(r"(\d+(?:\.\d+)?)(万亿|万|亿)元", g["figure"])
            if g["unit"] != "元" or m is None:
                continue
            cases += 1
            s, e = g["offset"], g["offset"] + len(g["figure"])
            at = [f for f in facts if f.start < e and s < f.end and f.unit == "元"]
            if not at:
                missed += 1
                continue
            f = at[0]
            assert Decimal(f.value) == Decimal(g["value"]), (doc.id, g["figure"], f.value)
            shown = Shown(f)
            assert Decimal(shown.shown_value) == Decimal(m.group(1)), (doc.id, g["figure"], shown.shown)
            assert shown.shown_unit == m.group(2) + "元", (doc.id, g["figure"], shown.shown)
    assert cases >= 100 and missed == 0, (cases, missed)


# ----------------------------------------------------------------------------- another region's facts (session 19)


def _places(text: str) -> dict[str, str]:
    return {text[f.start : f.end]: f.place for f in extract_facts(text, year=2025)}


def test_a_clause_whose_subject_is_another_province_gives_its_figures_that_province():
    """湄汀省科技厅组织36家企业参展 (another province's department the clause's subject): 湄汀省; a clause after
    it with its subject elided (带来成果82项) goes on with it, in the sentence and in the next one."""
    got = _places(
        "湄汀省科技厅是本届交易会的主宾省。湄汀省科学技术厅组团参展，带来成果82项。组织36家企业签约。"
    )
    assert got == {"82项": "湄汀省", "36家": "湄汀省"}
    got = _places("湄汀省科技厅组织36家企业参展，全市签约项目120项。")
    assert got == {"36家": "湄汀省", "120项": ""}


def test_a_joint_figure_a_flow_or_a_part_of_the_reports_own_is_not_another_provinces():
    """与湄汀省科技厅共建 (joint), 流向湄汀省的 (the report's own outflow), 其中由…推荐的 (a part of its own), and a
    province named without its department (新建省实验室: a word before 省) are the report's own."""
    got = _places(
        "湄汀省科技厅与市科技局联合举办对接会，促成合同17项。与湄汀省科技厅共建联合实验室3个。"
        "输出技术合同成交额81亿元，其中流向湄汀省的12亿元。新建省实验室4家。"
    )
    assert set(got.values()) == {""}, got


def test_a_list_of_provinces_as_the_subject_is_all_of_them():
    got = _places("湄汀省科技厅、汐岚省科技厅分别组团参展，带来成果310项。")
    assert got == {"310项": "湄汀省、汐岚省"}


def test_the_evaluation_counts_a_fact_linked_to_the_wrong_region_as_wrong():
    """corpus_eval matches the region too: a key fact of another province (`place`) is not found by the same
    figure linked to the report's own region, and the extracted fact is an extra."""
    from types import SimpleNamespace as F

    key = [{"value": "82", "unit": "项", "period": "2025", "place": "湄汀省"}]
    own = F(value="82", unit="项", period="2025", place="")
    other = F(value="82", unit="项", period="2025", place="湄汀省")
    named_own = F(value="5", unit="家", period="2025", place="澄岭省")
    assert ce.score_facts([own], key, "澄岭省").found == 0
    assert len(ce.score_facts([own], key, "澄岭省").extra) == 1
    assert ce.score_facts([other], key, "澄岭省").found == 1
    # the report's own province named as the subject is the report's own region
    assert ce.score_facts([named_own], [{"value": "5", "unit": "家", "period": "2025"}], "澄岭省").found == 1


def test_a_span_of_years_ended_by_the_reports_year_or_before_is_not_a_target():
    """2020年至2024年年均增长18.2% (至 parting a span, as —): the span's average growth, dated by its end; 到2027年
    and a span into the future (从2023年到2027年，力争…) stay targets."""
    assert ("percent", "18.2", "%", "2024") in _read("2020年至2024年年均增长18.2%。")
    assert ("money", "1200000000", "元", "2024") in _read("2020年至2024年，累计投入12亿元。")
    assert ("target", "80", "家", "2027") in _read("从2023年到2027年，力争新增80家。")
    assert ("target", "180000000000", "元", "2027") in _read("到2027年，成交额达到1800亿元。")


def test_a_year_before_2000_said_and_then_dangnian_dates_that_clause():
    """评选于1995年，当年授奖96项 (a year before 2000, 当年 opening the next clause): 1995; 目前 or the next
    sentence is the report's year again."""
    got = _read("首届省科学技术奖评选于1995年，当年授奖96项。今年授奖300项。")
    assert {("count", "96", "项", "1995"), ("count", "300", "项", "2025")} <= got
    got = _read("该中心成立于1998年，当年引进人才12名，目前拥有研发人员600人。")
    assert {("count", "12", "名", "1998"), ("count", "600", "人", "2025")} <= got


def test_one_in_words_standing_for_what_it_counts_inside_a_clause_is_a_count():
    """择优一家继续支持 (after a verb of choosing, a verb following) and 首次开放的一家是… (the one … is): one; 择优保留
    一个团队 (a noun after it) and 其中一家是 stay no count."""
    assert ("count", "1", "家", "2025") in _read("中期评估后择优一家继续支持。")
    assert ("count", "1", "家", "2025") in _read("其中首次开放的一家是全国重点实验室。")
    assert not _read("中期评估后择优保留一个团队。")
    assert not _read("其中一家是民营企业。")


def test_each_opening_a_clause_after_a_list_in_the_clause_before_gives_a_fact_for_each():
    """A公司、B公司两家单位同时揭榜，各支持600万元: two amounts, one for each unit listed (as 檀舟、峣阳两市各新建…);
    without a list before (项目20个，各支持50万元) one."""
    facts = extract_facts(
        "采用赛马制，沅川氢动科技有限公司、蘅湾新能动力有限公司两家单位同时揭榜，各支持600万元。", year=2025
    )
    assert [f.value for f in facts if f.unit == "元"] == [6000000, 6000000]
    facts = extract_facts("全年支持项目20个，各支持50万元。", year=2025)
    assert [f.value for f in facts if f.unit == "元"] == [500000]
