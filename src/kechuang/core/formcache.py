"""The HTML of an empty form made only of the code's own fields and choices, rendered once per process and
language (issue #19: the project page's 登记成果 form took ~8,600 of its Python calls to render each time)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

_HTML: dict[tuple, SafeString] = {}


def empty_form_html(form_class, *, auto_id: str, template: str) -> SafeString:
    """`template` rendered with `form_class(auto_id=auto_id)`, unbound. Only for a form whose fields,
    labels and choices come from the code (no database row, no user, no request, no date): the same HTML
    for everyone until the code changes. A refused form is rendered as usual, with its input."""
    key = (form_class, auto_id, template, get_language())
    html = _HTML.get(key)
    if html is None:
        html = _HTML[key] = render_to_string(template, {"form": form_class(auto_id=auto_id)})
    return html
