"""Mentions linked to the registry: a unit of another province is never this department's own."""

import pytest

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
