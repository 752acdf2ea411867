"""Report repair on the dev splits' damage (issue #15, session 17 `repair7`): one test per mechanism, each
from a short synthetic string."""

from kechuang.ingest.parsers import repair


def test_an_ordinary_aid_before_a_rare_name_is_compared_with_the_run_read_without_its_own_aids():
    """An aid that is the reading of the character before it (驗 yàn), a rare name after it (邛峴縣): the
    run was re-read as `国际…s` because the run as it stood was scored with the later aids of its own
    characters (實(shí)驗(yàn)) left in as text, while the re-read run has them taken out."""
    for name in ("邛峴", "岑峴"):
        result = repair(f"該實(shí)驗(yàn)室是{name}縣首個實(shí)驗(yàn)室,聚焦先進材料。")
        assert result.text == f"该实验室是{name.replace('峴', '岘')}县首个实验室，聚焦先进材料。", result.text
        assert result.uncertain_count == 0
