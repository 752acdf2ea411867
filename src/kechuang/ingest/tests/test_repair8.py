"""Report repair on the dev splits' damage (issue #15, session 18 `repair8`): one test per mechanism, each
from a short synthetic string damaged the way DOMAIN.md describes (GBK bytes, a full-width mark replaced
by its ASCII form where its bytes straddled two characters, the site's decoder)."""

from kechuang.ingest.parsers import repair
from kechuang.ingest.tests.marks import as_read


def _site(text: str, full: str, ascii_mark: str, decoder: str) -> str:
    """`text` as GBK bytes with the full-width mark `full` replaced by `ascii_mark` wherever its bytes stand
    (also across two characters), decoded by a decoder that drops a broken byte (`drop`), shows it as U+FFFD
    (`replace`) or as `?` together with the ASCII byte after it (`qmark`, the byte after a lead is read along)."""
    data = text.encode("gbk").replace(full.encode("gbk"), ascii_mark.encode())
    if decoder in ("replace", "drop"):
        return data.decode("gbk", errors="replace" if decoder == "replace" else "ignore")
    out, i = [], 0
    while i < len(data):
        b = data[i]
        if b < 0x80:
            out.append(chr(b))
            i += 1
            continue
        pair = data[i : i + 2]
        try:
            out.append(pair.decode("gbk"))
            i += 2
        except UnicodeDecodeError:
            out.append("?")
            nxt = data[i + 1] if i + 1 < len(data) else None
            if nxt is not None and 0x40 <= nxt <= 0xFE and nxt != 0x7F:
                i += 2  # a pair the decoder cannot map
            else:
                # an orphaned lead: shown with the ASCII byte after it, a line break apart
                i += 2 if nxt is not None and nxt < 0x80 and nxt not in (0x0A, 0x0D) else 1
    return "".join(out)


def test_a_lost_lead_shown_before_a_replaced_mark_after_a_quote_or_a_percent_sign():
    """。 (A1 A3) before a character led by a replaced mark's second byte (現 = AC 46, ， = A3 AC; 縣 = BF 68,
    ？ = A3 BF): the decoder shows the orphaned A1 as U+FFFD, then the ASCII mark and the ASCII trail. The
    re-reading was tried only after a Chinese character, so after ” or % the span was left marked; and a `?`
    right after U+FFFD was itself taken for a broken byte, although a decoder that shows U+FFFD never shows
    one as `?`."""
    page = _site("工作完成過半”。現將有關情況報告如下", "，", ",", "replace")
    assert page == "工作完成過半”\ufffd,F將有關情況報告如下"
    result = repair(page)
    assert result.text == "工作完成过半”。现将有关情况报告如下", result.text
    assert result.uncertain_edit_count == 1
    page = _site("比上年增長26.5%。縣內光伏電站新增3座", "？", "?", "replace")
    assert page == "比上年增長26.5%\ufffd?h內光伏電站新增3座"
    result = repair(page)
    assert result.text == "比上年增长26.5%。县内光伏电站新增3座", result.text
    page = _site("新增研究生十二名。縣科技企業新增3家", "？", "?", "replace")
    assert repair(page).text == "新增研究生十二名。县科技企业新增3家"


def test_a_full_stop_and_a_quote_whose_bytes_a_qmark_decoder_lost_both():
    """`。”` (A1 A3 A1 B1) with ！ (A3 A1) replaced by `!`: the `?` decoder shows the orphaned A1 with the `!`
    it ate, then the orphaned B1 with the ASCII byte after it (a digit, a redaction's star) - or alone
    before a line break. `??` was left (marked) where a re-read run could not start."""
    page = _site("他說：“成本下降了近四成。”7月9日,在市裏召開現場會。", "！", "!", "qmark")
    assert "四成??月9日" in page
    result = repair(page)
    assert "下降了近四成。”〔存疑：？〕月9日" in result.text, result.text
    assert result.uncertain_count == 1
    page = _site("他說：“今年沒有懸念。”\n今年以來，全省新增孵化器3家。", "！", "!", "qmark")
    assert "懸念??\n" in page
    result = repair(page)
    assert "今年没有悬念。”\n今年以来" in result.text, result.text
    page = _site("他說：“樣品三天就能拿到。”**公司負責人說。", "！", "!", "qmark")
    assert "拿到??*公司" in page
    assert "就能拿到。”〔隐去〕公司负责人说" in repair(page).text
    # after characters that make no word the `??` may stand inside a garbled run: not read this way
    assert "。”" not in repair("第一昏虾??980萬元").text


def test_a_lost_lead_before_a_letter_on_a_qmark_page_ate_the_replaced_mark():
    """`驗收?F將` for 验收。現將 (， = A3 AC straddled 。|現, 現 = AC 46): the `?` decoder shows 。's orphaned A1
    with the `,` it ate. Read with the mark eaten; a `?` that ate nothing would have orphaned no lead before
    a letter that is a valid trail byte. A lettered label after a real `?` stays."""
    page = _site("項目開展了驗收。現將結果公告如下，請各單位查收。", "，", ",", "qmark")
    assert "驗收?F將" in page
    result = repair(page)
    assert result.text == "项目开展了验收。现将结果公告如下，请各单位查收。", result.text
    assert result.uncertain_edit_count == 1
    page = _site("養殖能力達12億尾。縣裏與大學合作建設基地。", "？", "?", "qmark")
    assert "億尾?h裏" in page
    assert repair(page).text == "养殖能力达12亿尾。县里与大学合作建设基地。"


def test_a_qmark_kept_before_a_run_closed_by_a_letter_may_be_a_lost_lead_with_an_eaten_mark():
    """`啃?甭摵象w` for 啃。”聯合體 (。” = A1 A3 A1 B1, ！ = A3 A1 replaced by `!`): a `?` before a run closed by a
    Latin letter is kept as a replaced ？ (A3 BF) that straddled two characters, and was read as one, losing
    the 。. On a `?` decoder's page it may as well be the orphaned A1 with the `!` it ate: both readings are
    ranked, the full stop before a quote not counted as a second guess. (The second line's `??` makes the
    page a `?` decoder's.)"""
    page = _site("“這項工作要幾家一起啃。”聯合體秘書長說。\n他說：“今年沒有懸念。”\n", "！", "!", "qmark")
    assert "啃?甭摵象w秘書長" in page
    result = repair(page)
    assert result.text == "“这项工作要几家一起啃。”联合体秘书长说。\n他说：“今年没有悬念。”\n", result.text


def test_a_replaced_mark_run_may_end_before_a_figure():
    """`高:涂蒲性核57家` for 高校和科研院所57家 (： = A3 BA straddled 校|和; the dropping decoder lost 校's lead and
    所's trail, orphaned by the `5`): a run of plain characters after a replaced mark was looked at only when an
    ASCII byte other than a digit closed it. Before a digit it is looked at when it holds two characters or more:
    a one-character run is plain text after a real mark (`分;有2個`)."""
    page = _site("全省參與高校和科研院所57家，比上年增加3家。", "：", ":", "drop")
    assert "高:涂蒲性核57家" in page
    result = repair(page)
    assert as_read(result.text) == "全省参与高校和科研院所57家，比上年增加3家。", result.text
    assert result.uncertain_edit_count == 1  # one edit showing two marks: the page counts 2 (repair37)
    assert result.uncertain_count == 2
    page = _site("差距擴大0.9分；有2個項目未達標。", "；", ";", "drop")
    assert repair(page).text == "差距扩大0.9分；有2个项目未达标。"
