"""The pure duplicate check: shingles, MinHash/LSH, passages, people (hypothesis where it is a parser)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.challenges import dedup

PLAN = (
    "采用物理气相传输法生长8英寸碳化硅单晶，优化热场与温度梯度设计。"
    "建立微管与位错缺陷的在线检测方法，形成衬底加工与抛光工艺包。"
    "建成年产五万片的中试线，良率达到百分之七十以上。"
)


def test_a_near_copy_scores_high_and_an_unrelated_plan_low():
    copy = PLAN.replace("优化", "改进").replace("五万", "六万")
    other = "研制连续变量量子密钥分发系统，提升成码率与传输距离，完成城域网络示范。"
    a, b, c = (dedup.shingles(t) for t in (PLAN, copy, other))
    assert dedup.jaccard(a, b) > 0.75 and dedup.jaccard(a, c) < 0.05
    sa, sb, sc = (dedup.signature(s) for s in (a, b, c))
    assert abs(dedup.estimate(sa, sb) - dedup.jaccard(a, b)) < 0.15
    assert set(dedup.band_keys(sa)) & set(dedup.band_keys(sb)), "a near copy shares a band"
    assert not set(dedup.band_keys(sa)) & set(dedup.band_keys(sc))


def test_punctuation_width_and_spaces_do_not_matter():
    assert dedup.shingles("碳化硅，单晶 衬底。ＡＢ") == dedup.shingles("碳化硅单晶衬底ab")


def test_the_challenge_title_is_not_the_applicants_text():
    doc = dedup.document(
        title="项目", plan="针对大尺寸碳化硅衬底榜单，采用新方法。", boilerplate=["大尺寸碳化硅衬底榜单"]
    )
    assert "大尺寸" not in doc and "采用新方法" in doc


def test_passages_pair_the_closest_sentences_side_by_side():
    copy = "建立微管与位错缺陷的在线检测方法。采用物理气相传输法生长8英寸碳化硅单晶，优化热场设计。"
    found = dedup.passages(PLAN, copy)
    assert found[0].score >= found[-1].score
    assert any(
        p.left.startswith("采用物理气相传输法") and p.right.startswith("采用物理气相传输法") for p in found
    )
    assert len({p.right for p in found}) == len(found), "each sentence of the right is used once"


def test_people_overlap_is_a_share_of_the_smaller_team():
    shared, score = dedup.people_overlap(["张三", "李四", "王五"], ["李 四", "张三"])
    assert shared == ["张三", "李四"] and score == 1.0
    assert dedup.people_overlap(["张三"], ["赵六"]) == ([], 0.0)


def test_candidate_pairs_from_shared_band_keys():
    assert dedup.candidate_pairs({3: [1, 2], 1: [2, 9], 2: [7]}) == {(1, 3)}


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_signature_of_fixed_size_and_keys_per_band(text):
    grams = dedup.shingles(text)
    assert all(len(g) <= dedup.SHINGLE for g in grams)
    sig = dedup.signature(grams)
    assert sig.shape == (dedup.NUM_PERM,) and sig.dtype == np.uint64
    assert len(dedup.band_keys(sig)) == dedup.BANDS
    assert dedup.jaccard(grams, grams) == (1.0 if grams else 0.0)
