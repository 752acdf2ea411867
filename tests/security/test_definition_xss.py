"""Names staff give a programme definition (labels, help, units, options, table columns, in Chinese and
English) are shown escaped wherever a form built from it is rendered (session 11's attacker review found
none unescaped; this pins it): a label is text a member of staff typed, and the applicant's form, the
builder's preview and the diff show it to others."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from kechuang.programmes import fieldkinds

X = '<script>alert(1)</script><img src=x onerror=alert(2)>"'

SPECS = [
    {"key": "f1", "kind": "choice", "label": X, "label_en": X, "required": True, "options": [X, "乙"],
     "options_en": [X, "B"], "help": X, "help_en": X},
    {"key": "f2", "kind": "number", "label": "周期" + X, "unit": X, "unit_en": X, "required": False},
    {"key": "f3", "kind": "table", "label": X, "required": False,
     "columns": [{"key": "c1", "label": X, "label_en": X, "kind": "text"}]},
    {"key": "f4", "kind": "long_text", "label": X, "required": False, "show_if": {"field": "f1", "equals": X}},
]  # fmt: skip


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_form_built_from_hostile_names_renders_them_escaped(language):
    with translation.override(language):
        form = fieldkinds.build_form(SPECS, data={"f1": X, "f4": X})
        form.is_valid()
        html = render_to_string("programmes/_data_form.html", {"form": form})
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("what", ["fields", "stages"])
def test_the_diff_renders_hostile_names_escaped(what):
    item = {"name": X, "name_en": X, "label": X, "label_en": X, "unit": X, "unit_en": X, "options": [X],
            "options_en": [X], "help": X, "help_en": X, "columns": [{"label": X, "label_en": X}],
            "condition": {"field": X, "equals": X}, "kind_label": X, "attachments": [X]}  # fmt: skip
    html = render_to_string("programmes/_diff_item.html", {"what": what, "item": item})
    assert "<script>" not in html and "<img src=x" not in html
