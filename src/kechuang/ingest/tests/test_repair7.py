"""Report repair on the dev splits' damage (issue #15, session 17 `repair7`): one test per mechanism, each
from a short synthetic string."""

from kechuang.ingest.parsers import repair
from kechuang.ingest.tests.marks import as_read


def test_an_ordinary_aid_before_a_rare_name_is_compared_with_the_run_read_without_its_own_aids():
    """An aid that is the reading of the character before it (驗 yàn), a rare name after it (邛峴縣): the
    run was re-read as `国际…s` because the run as it stood was scored with the later aids of its own
    characters (實(shí)驗(yàn)) left in as text, while the re-read run has them taken out."""
    for name in ("邛峴", "岑峴"):
        result = repair(f"該實(shí)驗(yàn)室是{name}縣首個實(shí)驗(yàn)室,聚焦先進材料。")
        assert result.text == f"该实验室是{name.replace('峴', '岘')}县首个实验室，聚焦先进材料。", result.text
        assert result.uncertain_count == 0


def test_the_collect_line_after_the_unfinished_notice_goes_with_it_when_its_own_words_are_damaged():
    """The 未完 notice truncates the page; its collect line (收藏《title》)) is the page's last line. With an aid
    inside 藏 (`收(zhān)亍…`) the line no longer starts with 收藏 and was left in the repaired text."""
    page = (
        "全年新增孵化企業12家。 ……(未完，全文共3200字，当前仅显示1500字，请阅读下面提示信息。\n"
        "收(zhān)亍朵谠词(shěng)2024年孵化器發展報告》)"
    )
    assert repair(page).text == "全年新增孵化企业12家。〔缺失1700字〕"
    # a report's own last line after a notice that does not truncate is kept
    kept = repair("全年新增孵化企業12家。\n收入增長8%。")
    assert kept.text == "全年新增孵化企业12家。\n收入增长8%。"


def test_a_lettered_label_after_an_ascii_comma_is_not_a_replaced_mark():
    """`15家,B类`: a comma before a capital letter glued to Chinese text is also what a replaced ， whose bytes
    straddled two characters looks like (`。現` read `,F`), and B类 was re-read as 鸟类. A letter of a lettered
    series (another capital before the same character, or `A、B`) is a label."""
    result = repair("其中甲等A类的15家,B类31家,C类22家,D类4家。")
    assert result.text == "其中甲等A类的15家，B类31家，C类22家，D类4家。", result.text
    assert result.uncertain_count == 0
    result = repair("考核結果與補助掛鉤,A、B類補助標準不變。")
    assert result.text == "考核结果与补助挂钩，A、B类补助标准不变。", result.text
    # a letter that is a trail byte before an aid is still read as one (礎 = 0xB5 0x41 after ； = A3 BB)
    assert "。基础研究" in as_read(repair("經費61.7億元;A(chǔ)研究經費增長。").text)


def test_a_run_re_read_after_an_aid_may_hold_ideographic_spaces():
    """A table's header line (`指标　本季度　上年同期　增长率（%）`) with an aid inside 季: the run after it is
    out of step up to the `%`, and its right reading holds the ideographic spaces between the columns (A1 A1),
    which the re-reading took for a sign of misaligned bytes: the whole run was left garbled and marked."""
    result = repair("说明如下。\n指标\u3000本(jiǒng)径取∩夏晖凇≡龀ぢ剩%）")
    assert "指标\u3000本季度\u3000上年" in result.text, result.text
    assert "增长率（%）" in result.text, result.text
    assert result.uncertain_count >= 1


def test_a_lost_trail_after_a3_before_an_unopened_closing_parenthesis_is_the_opening_one():
    """`增长率（%）` with （ = A3 A8 out of step: the decoder lost its trail A8 with the `%` after it. Of the
    characters led by A3 the dictionary preferred ，; before `%）` it is （."""
    result = repair("说明如下。\n指标\u3000本季度\u3000上年同期\u3000增(chèn)ぢ剩%）")
    assert result.text.endswith("增长率（%）"), result.text


def test_a_full_stop_before_a_quote_eaten_by_a_qmark_decoder_is_read_back():
    """！ (A3 A1) straddled 。|” and was replaced by `!`; a `?` decoder showed 。's lead with that `!` as one
    `?`. The reading with the eaten mark put back (。”站在剛) covers as many words as one that takes the `?`
    for a lost lead of a character (票站在剛) but counted the mark as a second guess and lost: a full stop
    before the quotation mark it makes is told by that quote."""
    result = repair("工人們只用了11个月?闭驹趧?gāng)投產的生產線旁,他說。")
    assert as_read(result.text) == "工人们只用了11个月。”站在刚投产的生产线旁，他说。", result.text
