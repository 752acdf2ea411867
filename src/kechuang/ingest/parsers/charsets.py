"""Character classes shared by the repair steps and the extractor."""

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# CJK punctuation that may sit next to Chinese text
CJK_PUNCT = "，。、；：！？“”‘’（）《》【】〔〕〈〉「」『』…—·～"
HAN_OR_PUNCT = HAN + CJK_PUNCT

# Symbols of GBK rows A1-A9 that real reports use; the rest of those rows (⌒, kana, box drawing...)
# turn up in Chinese text mostly when GBK bytes were decoded one byte out of step.
_COMMON_SYMBOLS = set(
    "、。·ˉˇ¨〃々—～‖…‘’“”〔〕〈〉《》「」『』〖〗【】±×÷∶√∞∵∴°′″＄¤￠￡‰§№☆★○●◎◇◆□■△▲※→←↑↓〓℃"
    "ⅰⅱⅲⅳⅴⅵⅶⅷⅸⅹⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ①②③④⑤⑥⑦⑧⑨⑩⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑㈠㈡㈢㈣㈤㈥㈦㈧㈨㈩"
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹɑɡ"
)


def _build_suspicious() -> frozenset[str]:
    out = set()
    for lead in (0xA1, 0xA2, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9):
        for trail in range(0xA1, 0xFF):
            try:
                ch = bytes((lead, trail)).decode("gbk")
            except UnicodeDecodeError:
                continue
            if ch not in _COMMON_SYMBOLS:
                out.add(ch)
    # GB2312 level-2 characters: rare in prose, frequent in misaligned decoding
    for lead in range(0xD8, 0xF8):
        for trail in range(0xA1, 0xFF):
            try:
                out.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    out.add("\ufffd")
    return frozenset(out)


SUSPICIOUS = _build_suspicious()


def is_suspicious(ch: str) -> bool:
    return ch in SUSPICIOUS or "\ue000" <= ch <= "\uf8ff"
