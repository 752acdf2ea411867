"""core.formcache: an empty form of the code's own fields rendered once per process and language (#19)."""


def test_an_empty_form_is_rendered_once_per_language():
    from django import forms
    from django.template.loader import render_to_string
    from django.utils import translation

    from kechuang.core.formcache import empty_form_html

    class F(forms.Form):
        kind = forms.ChoiceField(label="类别", choices=[("a", "甲"), ("b", "乙")])

    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            first = empty_form_html(F, auto_id="t_%s", template="web/_form.html")
            assert first == render_to_string("web/_form.html", {"form": F(auto_id="t_%s")})
            assert empty_form_html(F, auto_id="t_%s", template="web/_form.html") is first
