"""Every indicator of the shipped national framework has an English name, so an English page never shows a
Chinese indicator name where the framework is the project's own data."""

from kechuang.indicators import specs


def _nodes(nodes):
    for n in nodes:
        yield n
        yield from _nodes(n.get("children", []))


def test_every_node_of_the_national_framework_has_an_english_name():
    spec = specs.shipped_spec("cn-csti")
    missing = [n["code"] for n in _nodes(spec["nodes"]) if not str(n.get("name_en") or "").strip()]
    assert missing == []
    assert spec["name_en"]
