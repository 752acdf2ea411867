"""Template tags of the form field kinds (kechuang.core.formkinds)."""

from django import template

register = template.Library()


@register.simple_tag
def cell(bound_field):
    """A row's field as a table cell's input: named by its column (aria-label), tied to its errors."""
    attrs = {"aria-label": str(bound_field.label)}
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{bound_field.auto_id}_error"
    return bound_field.as_widget(attrs=attrs)
