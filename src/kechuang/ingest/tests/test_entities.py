"""Mentions linked to the registry: a unit of another province is never this department's own."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.ingest.parsers.entities import find_mentions

OWN = {"unit": [(1, "岚江省科学技术厅", ("省科技厅", "岚江省科技厅"))]}


def linked(text):
    return [(m.text, m.start) for m in find_mentions(text, OWN) if m.target_id == 1]


@pytest.mark.parametrize(
    "text",
    [
        "省科技厅会同东黎省科技厅召开会议。",
        "东黎省科技厅负责同志表示，将加强合作。",
        "与云桐省科技厅签署合作协议。",
    ],
)
def test_another_provinces_department_is_not_linked_to_ours(text):
    foreign = text.index("省科技厅", 1)  # the one after 东黎 / 云桐
    assert foreign not in [start for _t, start in linked(text)]


def test_our_department_is_linked_by_its_names():
    text = "省科技厅会同东黎省科技厅召开会议，我省科技厅和岚江省科学技术厅负责同志出席。"
    ours = [0, text.index("我省科技厅") + 1, text.index("岚江省科学技术厅")]
    assert [start for _t, start in linked(text)] == ours


@settings(max_examples=40)
@given(
    st.text(alphabet="东西南北云桐黎川江河山湖海平安宁远青白", min_size=1, max_size=3).filter(
        lambda p: not p.endswith("岚江") and p != "我"
    ),
    st.sampled_from(["省科技厅", "省科学技术厅"]),
    st.sampled_from(["", "会同", "与", "，"]),
)
def test_no_other_provinces_department_is_ever_linked_to_ours(province, name, before):
    """Issue #15.4: whatever another province is called, its department is not this one's, with or
    without our own department named in the same text."""
    text = f"省科技厅{before}{province}{name}召开会议。"
    foreign = text.index(province + name) + len(province)
    assert all(not (m.target_id == 1 and m.start <= foreign < m.end) for m in find_mentions(text, OWN))
    assert linked(text)[:1] == [("省科技厅", 0)]  # ours, at the start, still is
