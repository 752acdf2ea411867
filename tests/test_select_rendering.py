"""core.renderers writes a select's options without a template per option; what it writes must be what
Django's templates (select.html, select_option.html, attrs.html) write, byte for byte, for every select of
the project's forms and for the odd values a select may hold."""

import pytest
from django import forms
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from kechuang.core.renderers import SELECT, FormRenderer, _select_html

from .test_crawl import _rendered_forms

pytestmark = pytest.mark.django_db


class _TemplatesOnly(FormRenderer):
    fast_selects = False


def _pair(widget: forms.Widget, name: str, value, attrs=None) -> tuple[str, str]:
    """The select as Django's templates write it (with the project's empty choice), and as the project's
    renderer does."""
    slow = widget.render(name, value, attrs, renderer=_TemplatesOnly())
    fast = widget.render(name, value, attrs, renderer=FormRenderer())
    return slow, fast


class _Odd(forms.Form):
    plain = forms.ChoiceField(choices=[("", "---------"), ("a", "甲 <b>&'\""), ("b", gettext_lazy("保存"))])
    grouped = forms.ChoiceField(
        choices=[("", "全部"), ("组一 & <二>", [("1", "一"), ("2", mark_safe("<i>二</i>"))]), ("3", "三")]
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y"), ("z", "Z")], required=False)
    numbers = forms.TypedChoiceField(choices=[(2024, 2024), (2025, 2025)], coerce=int)
    attrs = forms.ChoiceField(
        choices=[("a", "A")],
        widget=forms.Select(attrs={"data-x": 'q"<', "autofocus": True, "hidden": False, "size": 3}),
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_odd_selects_read_as_djangos_templates_write_them(language):
    form = _Odd(initial={"plain": "a", "grouped": "2", "many": ["x", "z"], "numbers": 2025})
    with translation.override(language):
        for bound in form:
            widget = bound.field.widget
            slow, fast = _pair(widget, bound.html_name, bound.value(), bound.build_widget_attrs({}))
            assert fast == slow, bound.name
    # the years are numbers a template localizes: they are left to the templates
    numbers = form["numbers"].field.widget.get_context("numbers", 2025, {})["widget"]
    assert _select_html(numbers) is None


def test_every_select_of_the_projects_forms_reads_as_djangos_templates_write_it():
    fast_ones = 0
    for name, form in _rendered_forms():
        for bound in form:
            widget = bound.field.widget
            if getattr(widget, "template_name", None) != SELECT:
                continue
            attrs = bound.build_widget_attrs({})
            slow, fast = _pair(widget, bound.html_name, bound.value(), attrs)
            assert fast == slow, f"{name}.{bound.name}"
            fast_ones += (
                _select_html(widget.get_context(bound.html_name, bound.value(), attrs)["widget"]) is not None
            )
    assert fast_ones > 50  # the fast path is taken, not only the templates' fall-back
