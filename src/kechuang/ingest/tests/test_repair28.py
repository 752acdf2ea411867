"""Report repair (issue #15, session 27 `repair28`). Pages are damaged with the forward model's own byte-level
steps (benchmarks/ingest/forward.py: GBK bytes, the site's full-width marks made ASCII, a reading aid inserted
after every occurrence of a character's bytes, then the site's decoder)."""

from collections import Counter

import pytest

from kechuang.ingest.parsers import repair
from kechuang.ingest.tests import bench

forward = bench.load("forward.py")


def _site(text: str, decoder: str, aided: list[str], *, ascii_marks: bool = True) -> str:
    data = forward._Bytes(text)
    if ascii_marks:
        forward._ascii_marks(data, Counter())
    forward._aids(data, aided, Counter())
    return forward.site_decode(bytes(data.buf), decoder)


# 。現 = A1 A3 AC 46: ， = A3 AC straddles 。|現 and the site writes `,` for it; a `?` decoder shows 。's orphaned
# lead A1 with the `,` it took along, and 現's trail 46 is the letter F. Right after the aid of the character
# before (`個(gè)?F將`) the `?` was read as a lost byte of its own; it is the lost lead with its eaten mark.
@pytest.mark.parametrize(
    ("clean", "aided", "shown", "expected"),
    [
        ("已累計支持各類人才和團隊436個。現將2024年度實施情況報告如下。", ["個"], "個(gè)?F將", "个。现将"),
        ("對重點實驗室開展了績效評估。現將結果通報如下。", ["估"], "估(gū)?F將", "评估。现将"),
        ("共有科技型企業312家。縣裏與大學共建研究院。", ["家"], "家(jiā)?h裏", "家。县里"),
    ],
)
def test_an_eaten_mark_after_a_characters_own_aid_is_read_back(clean, aided, shown, expected):
    page = _site(clean, "qmark", aided)
    assert shown in page, page
    out = repair(page).text
    assert expected in out, (page, out)
    assert "?" not in out, out
    assert "存疑" not in repair(clean).text


def test_a_question_mark_after_an_aid_inside_a_character_is_not_read_as_an_eaten_mark():
    # `培?yīng)`: the aid's `(` was eaten with 培's broken lead; the `?` after its `)` is no lost lead of 。
    page = "人才培?yīng)?F將"
    out = repair(page).text
    assert "。现" not in out, out
