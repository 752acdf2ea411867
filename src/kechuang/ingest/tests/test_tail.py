"""The rare, large failures of the repair found by stressing it at seeds the benchmark does not run (issue #15,
session 13 `tail`): a long run a dropping decoder read out of step through a paragraph with no ASCII byte, an
aid inside a character that reads like the character before it, a straddled mark after a figure, a name
written in traditional characters elsewhere on the page."""

import pytest

from kechuang.ingest.parsers import gbk, inserts, mojibake, repair
from kechuang.ingest.tests.marks import as_read


@pytest.mark.parametrize(
    ("run", "left", "right", "expected"),
    [
        # ， = A3 AC: AC and 主's lead D6 are an unmappable pair the decoder dropped; A3 with 主's trail F7
        # reads as a full-width Latin letter
        ("战略ｗ队强与周边", "展", "省份", "战略，主队强与周边"),
        # 建 BD A8 + 立 C1 A2 lost A8 C1 and read 舰 (BD A2): one word more, and the character model agrees
        ("先后舰了跨省科技", "作，", "创新", "先后建立了跨省科技"),
        ("资源颗共享和科技", "新", "成果", "资源开放共享和科技"),
        ("省份只，高校", "的", "和科", "省份之一，高校"),
    ],
)
def test_pairs_a_dropping_decoder_lost_unseen_are_split(run, left, right, expected):
    assert inserts._split_dropped(run, left, right)[0] == expected


def test_a_long_run_splits_more_than_four_lost_pairs():
    """A dropping decoder out of step loses a pair every few characters: a long run holds more than four."""
    run = (
        "发展战略ｗ队强与周边省份的科技合作，先后舰了跨省科技创新协作机制，推动创新资源颗共享和科技成果转化，"
        "我省是科教资源较为集中的省份只，高校和科研院所数量多，推动创新资源颗共享"
    )
    out, guessed = inserts._split_dropped(run, "协调", "，在")
    assert guessed == 10
    assert out.count("开放共享") == 2 and "建立" in out and "之一" in out and "，主" in out


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        # 技 = BC BC, 术 = CA F5: the site's aid of 际 (BC CA, jì) landed after 技's trail, inside 术; 技 reads
        # jì too, so the aid looks like 技's own
        ("我们的技(jì)跬哦右丫莆蘸诵墓ひ眨2025年", "我们的技术团队已经掌握核心工艺，2025年"),
        ("全省技(jì)鹾贤山欢钤龀っ飨裕2024年", "全省技术合同成交额增长明显，2024年"),
    ],
)
def test_an_aid_inside_a_character_that_reads_like_the_one_before(page, expected):
    result = repair(page)
    assert as_read(result.text) == expected
    assert (
        result.uncertain_count >= 1
    )  # 团's lead, lost with the `(`... is pinned by the aid, the comma guessed


def test_an_own_aid_before_a_traditional_text_stays_the_characters_aid():
    """於 is a GB2312 level-2 character, rare in prose and common in traditional text: not a garbled run."""
    assert repair("各項指標完成情況(kuàng)好於預(yù)期。").text == "各项指标完成情况好于预期。"


def test_a_mark_straddled_after_a_percent_sign_is_read_again():
    """增长11.0%。基础: the site's `;` for ； (A3 BB) straddled 。|基; 。's lead A1 was dropped."""
    page = "全社会研发经费增长11.0%;⊙芯俊⒂τ醚芯亢褪匝榉⒄咕阉急戎胤直鹞5.6%、12.3%和82.1%。"
    assert "增长11.0%。基础研究、应用研究和试验发展" in as_read(repair(page).text)
    assert mojibake.find_edits(page)[0].start == page.index(";")


def test_a_name_written_traditional_elsewhere_is_the_pages_own():
    """鹭 (GB2312 level 2) stands once as 鹭屿; elsewhere the page wrote 鷺(lù)嶼: the same name."""
    page = "西岫省在鷺(lù)嶼設立服務站。服务站设在鹭屿新区。"
    assert "鹭" in gbk.own_rare(page)
    assert "鹭" not in gbk.own_rare("服务站设在鹭屿新区。")


def test_a_straddled_mark_reads_on_through_an_aid_of_its_garbled_run():
    """行。会上: the site's `;` for ； (A3 BB) straddled 。|会; out of step, 剂 (the trail of 布 and the lead of 了)
    is on the site's aid list and got its aid: the run goes on after it. It was left garbled, and unmarked."""
    result = repair("科技创新大会舉(jǔ)行;嵘戏⒉剂(jì)恕靶轮噬Α笔罂萍汲晒,为获得市科技奖的单位颁奖。")
    assert "举行。会上发布" in result.text and "嵘戏" not in result.text
    assert "(jì)" not in result.text and result.uncertain_count >= 1
