"""The province and city fields and labels behave alike (written before they shared one base class and one
label helper): a stored value reads as its name in the reader's language, "" for none, and one from before
the list as typed, flagged; a form field keeps the record's own unlisted value (accepted, offered, flagged),
and a copied field re-reads its list in the language of the copy's request unless it keeps such a value."""

import copy

import pytest
from django import forms
from django.utils import translation

from kechuang.core import divisions
from kechuang.core.pickers import CityField, ProvinceField
from kechuang.core.templatetags.kechuang import city_name, province_name

pytestmark = pytest.mark.nodb


@pytest.mark.parametrize(
    "label, value, zh, en, flag",
    [
        (divisions.label, "140000", "山西省", "Shanxi", "（未识别的省份，请更正）"),
        (divisions.city_label, "太原市", "太原市", "Taiyuan", "（未识别的城市，请更正）"),
    ],
)
def test_a_stored_value_reads_as_its_name_none_as_nothing_and_an_unlisted_one_flagged(
    label, value, zh, en, flag
):
    with translation.override("zh-hans"):
        assert label(value) == zh and label("") == "" and label(None) == ""
        assert label("火星") == "火星" + flag
    with translation.override("en"):
        assert label(value) == en and label(value, english=False) == zh
    assert label(value, english=True) == en


@pytest.mark.parametrize(
    "flt, value, name", [(province_name, "140000", "山西省"), (city_name, "太原市", "太原市")]
)
def test_the_filters_name_a_value_and_mark_an_unlisted_one_for_staff(flt, value, name):
    with translation.override("zh-hans"):
        assert flt(value) == name and flt("") == "" and flt(None) == ""
        marked = flt("火<星>")
        assert marked.startswith('<span class="badge warn" title="') and "火&lt;星&gt;" in marked
        assert "请编辑并在列表中按名称重新选择" in marked


@pytest.mark.parametrize(
    "make, listed, unlisted, stored",
    [
        (lambda: ProvinceField(), "山西", "晋中", "140000"),
        (lambda: CityField(), "太原", "某开发区", "太原市"),
    ],
)
def test_a_field_keeps_the_records_unlisted_value_and_a_copy_rereads_its_list(make, listed, unlisted, stored):
    field = make()
    assert field.clean(listed) == stored and field.clean("") == ""
    with pytest.raises(forms.ValidationError):
        field.clean(unlisted)
    field.keep(stored)  # a listed value is nothing to keep
    assert not field.kept
    field.keep(unlisted)
    assert field.kept == unlisted and field.clean(unlisted) == unlisted
    assert any(v == unlisted and "请更正" in str(text) for v, text in _flat(field.choices))
    assert copy.deepcopy(field).clean(unlisted) == unlisted  # a form's copy keeps it too

    fresh = make()
    with translation.override("en"):
        copied = copy.deepcopy(fresh)
        english = [str(t) for _v, t in _flat(copied.choices)]
    assert "Shanxi" in english or "Taiyuan" in english
    with translation.override("zh-hans"):
        assert "山西省" in [str(t) for _v, t in _flat(copy.deepcopy(fresh).choices)] or "太原市" in [
            str(t) for _v, t in _flat(copy.deepcopy(fresh).choices)
        ]


def _flat(choices):
    for value, text in choices:
        if isinstance(text, list | tuple):
            yield from text
        else:
            yield value, text
