"""Report repair on the dev splits' damage (issue #15, session 18 `repair8`): one test per mechanism, each
from a short synthetic string damaged the way DOMAIN.md describes (GBK bytes, a full-width mark replaced
by its ASCII form where its bytes straddled two characters, the site's decoder)."""

from kechuang.ingest.parsers import repair


def _site(text: str, full: str, ascii_mark: str, decoder: str) -> str:
    """`text` as GBK bytes with the full-width mark `full` replaced by `ascii_mark` wherever its bytes stand
    (also across two characters), decoded by a decoder that shows a broken byte as U+FFFD (`replace`) or
    as `?` together with the ASCII byte after it (`qmark`, the byte after a lead is read along)."""
    data = text.encode("gbk").replace(full.encode("gbk"), ascii_mark.encode())
    if decoder == "replace":
        return data.decode("gbk", errors="replace")
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
    assert result.uncertain_count == 1
    page = _site("比上年增長26.5%。縣內光伏電站新增3座", "？", "?", "replace")
    assert page == "比上年增長26.5%\ufffd?h內光伏電站新增3座"
    result = repair(page)
    assert result.text == "比上年增长26.5%。县内光伏电站新增3座", result.text
    page = _site("新增研究生十二名。縣科技企業新增3家", "？", "?", "replace")
    assert repair(page).text == "新增研究生十二名。县科技企业新增3家"
