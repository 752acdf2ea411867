"""Failures of the repair found by stressing it at seeds and shapes the benchmark does not run (issue #15,
session 14 `tail`): long runs out of step after an unmappable pair, on pages that keep their full-width marks
(no ASCII byte for the decoder to resync on)."""

from kechuang.ingest.parsers import repair
from kechuang.ingest.tests.marks import as_read


def test_a_continued_run_longer_than_24_characters_is_read_again():
    """After the pair that closed a re-read run the decoder stays out of step to the next ASCII byte: here
    30 characters (a `?` decoder, no figure in the sentence)."""
    page = (
        "南澍省则拥有较为完整的?nào)氨钢圃觳?堤逑岛头岣坏挠τ贸【啊Ａ绞】萍己献骰ゲ剐郧俊⒑献骺占涔憷??\n"
        "業(yè)內人士認為，跨省科技合作的關鍵在於打破行政壁壘。"
    )
    result = repair(page)
    assert "装备制造产业体系和丰富的应用场景。两省科技合作互补性强、合作空间广" in as_read(result.text)
    assert result.uncertain_count >= 1  # the lost bytes guessed


def test_a_continued_run_reads_on_through_the_unmappable_pairs_in_it():
    """Each U+FFFD inside the run is an unmappable pair (a character's trail and the next one's lead): the
    run is read as one stream with both characters chosen together, not piece by piece against garbled text."""
    page = (
        "本届交易会设新能源、新材\ufffd(mù)稀⑸\ufffd镆揭\ufffd⒅悄苤圃臁⑾执\ufffd┮滴宕笳骨\ufffd\ufffd侔斐晒\ufffd⒉肌"
        "⒙费荻越拥然疃\ufffd52场，其中专场路演18场次，吸引观展6.8万人次。"
    )
    result = repair(page)
    assert as_read(result.text).startswith(
        "本届交易会设新能源、新材料、生物医药、智能制造、现代农业五大展区，举办成果发布、路演对接等活动52场，"
    )
    assert result.uncertain_count >= 1


def test_a_continued_run_stops_where_the_text_after_a_pair_is_in_step():
    """`暥?晴夜數多` (緯度,晴夜數多: the `?` is 度's trail read as a lead with the ASCII comma): the text after
    the `?` is in step and is not re-read as part of the run."""
    page = (
        "捕捉超新星、變星、近地小天體等天體的亮度?qún)臀恢米兓?ｋ呁┦〉靥幹械途暥?晴夜數多、大氣視寧度好,"
        "具備建設大型光學望遠鏡的條件。"
    )
    text = as_read(repair(page).text)
    assert "云桐省地处中低纬度" in text and "晴夜数多、大气视宁度好" in text


def test_a_short_run_closed_by_a_pair_reads_on_through_the_runs_after_it():
    """`化?惫?狙蟹…` on a `?` decoder's page: the `?` is 。's orphaned lead with the replaced ！ it ate (A3 A1
    straddled 。|”), 惫 = ”'s trail and 公's lead, then an unmappable pair (公's trail AB, 司's lead): the
    one-character run is too short to read alone, so it is read on through the runs after it."""
    page = "实验室走向了工程化?惫?狙蟹⒅行母涸鹑寺藓剿?目前技术成熟度已达到4级,预计明年完成中试。"
    result = repair(page)
    assert as_read(result.text).startswith("实验室走向了工程化。”公司研发中心负责人罗航")
    assert result.uncertain_count >= 1


def test_an_aid_like_the_character_before_it_with_the_garble_a_few_characters_on():
    """技 = BC BC, 活 = BB EE: the aid of 蓟 (BC BB, jì) landed after 技's trail; the run after it reads 顒油度
    before its first rare character (搿): looked for within four characters, not two."""
    page = "五個一級指標中，科技創新環境、科技(jì)顒油度搿⒖萍蓟(jì)顒赢a出3項指標高於(yú)全省平均。"
    assert (
        as_read(repair(page).text)
        == "五个一级指标中，科技创新环境、科技活动投入、科技活动产出3项指标高于全省平均。"
    )


def test_a_dropping_decoder_lost_two_pairs_inside_one_run():
    """`;⊙芯烤颜糝&D` for 。基础研究经费占R&D on a page whose decoder drops what it cannot map: ； (A3 BB,
    written `;`) straddled 。|基, then 基's trail with 础's lead (F9 B4) and 经's trail with 费's lead (AD B7)
    made unmappable pairs, both dropped; 占's trail is the `R`. One dropped pair leaves half the run garbled."""
    page = "全年全社会研发经费支出81.3億元，其中試驗發展經費72.5億元;⊙芯烤颜糝&D经费的比重为5.2%。"
    result = repair(page)
    assert "72.5亿元。基础研究经费占R&D经费的比重为5.2%" in as_read(result.text)
    assert result.uncertain_count >= 1  # the dropped bytes are guessed
