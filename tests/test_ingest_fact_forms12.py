"""Issue #15 item 4: forms of facts the splits' leftovers and the dev11 split showed (session 22, helper facts12),
each read from the genre's grammar. The sentences are written for the tests (fictional places), not copied from
the corpus."""

from kechuang.ingest.parsers import extract_facts


def _read(text: str, year: int = 2025) -> set[tuple]:
    return {(f.kind, str(f.value), f.unit, f.period) for f in extract_facts(text, year=year)}


def _placed(text: str, year: int = 2025) -> set[tuple]:
    return {(str(f.value), f.unit, f.period, f.place) for f in extract_facts(text, year=year)}


def test_since_last_year_opening_a_clause_is_to_now():
    """去年以来 (since last year, to now) inside a sentence, after a subject or a 去年 clause: the report's year, as
    去年以来 opening a sentence already was; 去年 said alone stays last year's."""
    assert ("count", "120", "家", "2025") in _read("据介绍，去年以来全市新增高企120家，投入研发资金3亿元。")
    assert ("count", "120", "家", "2025") in _read("该县去年以来新增高企120家，累计投入3亿元。")
    facts = _read("去年全年技术合同成交额52亿元，去年以来累计签约项目86个。")
    assert ("money", "5200000000", "元", "2024") in facts
    assert ("count", "86", "个", "2025") in facts
    facts = _read("他去年促成合同32项，去年以来累计签约12项。")
    assert ("count", "32", "项", "2024") in facts
    assert ("count", "12", "项", "2025") in facts


def test_another_city_named_without_shi_and_a_figure_listed_after_its_clause():
    """A city of another province named in full in the text (某省岚浦市) and bare in a title's half after white space
    (…开幕 岚浦代表团带来百项成果): the city's; a noun and its figure listed after a clause that went on with the city's
    subject (…组织代表团参展，带来成果86项，参展企业31家): the city's too; 与岚浦方面签约 stays the report's own."""
    text = (
        "第三届某省科技成果博览会开幕 岚浦代表团带来百项成果\n"
        "作为主宾城市，沅岙省岚浦市科学技术局组织代表团参展，带来成果86项，参展企业31家。"
        "其中，与岚浦方面签约项目7个。\n"
    )
    facts = _placed(text)
    assert ("100", "项", "2025", "岚浦市") in facts
    assert ("86", "项", "2025", "岚浦市") in facts
    assert ("31", "家", "2025", "岚浦市") in facts
    assert ("7", "个", "2025", "") in facts
    # a clause of the report's own whole is not listed on (全省参展企业)
    own = _placed(text.replace("参展企业31家", "全省参展企业共310家"))
    assert ("310", "家", "2025", "") in own


def test_a_january_item_whose_lead_is_a_meeting_and_the_year_just_ended_said_after_it():
    """1月8日，全市科技工作会议召开。会议指出，去年… in a report of 2025 (the year its figures are of): the lead's
    date and 今年's targets are of 2026, 去年's figures of 2025 — as 记者1月8日从…获悉，去年… is read. Without the
    year just ended said in the lead or the sentence after it, nothing moves."""
    text = (
        "某市召开科技工作会议\n"
        "1月8日，全市科技工作会议召开。会议指出，去年全市高新技术企业达到1200家，技术合同成交额86亿元。"
        "今年力争高新技术企业突破1400家。\n"
    )
    facts = _read(text)
    assert ("date", "2026-01-08", "date", "2026") in facts
    assert ("count", "1200", "家", "2025") in facts
    assert ("money", "8600000000", "元", "2025") in facts
    assert ("target", "1400", "家", "2026") in facts
    unsaid = text.replace("会议指出，去年全市", "会议表彰了先进单位。全市")
    assert ("date", "2025-01-08", "date", "2025") in _read(unsaid)
