"""Separators the code writes between data are the page's language's: “，” on Chinese pages, “, ” on English."""

from django.utils import translation

from kechuang.evaluation.display import rule_sentence
from kechuang.evaluation.models import IndicatorNode
from kechuang.indicators.builder import _words


def test_a_threshold_rule_and_a_frameworks_changed_values_are_joined_in_the_pages_language():
    params = {"steps": [[60, 50], [80, 100]]}
    zh = rule_sentence(IndicatorNode.Rule.THRESHOLD, params)
    assert zh.count("，") == 1 and ", " not in zh
    assert _words({"权重": "0.3", "标准值": "1"}) == "权重 0.3，标准值 1"
    with translation.override("en"):
        en = rule_sentence(IndicatorNode.Rule.THRESHOLD, params)
        assert "，" not in en and en.count(", ") == 1
        assert _words({"Weight": "0.3", "Standard value": "1"}) == "Weight 0.3, Standard value 1"


def test_a_frameworks_groups_read_with_the_pages_brackets_and_commas():
    from kechuang.indicators.builder import setting_items

    method = {"groups": {"bands": [{"label": "A", "above": 120}, {"label": "B"}], "reference_unit": "EU"}}
    zh = dict(setting_items(method))["绩效分组"]
    assert zh == "A > 120%；B（同年比较，与EU比较）"
    with translation.override("en"):
        en = dict(setting_items(method))["Performance groups"]
    assert "（" not in en and "，" not in en and "；" not in en, en
