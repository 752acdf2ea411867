from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def num(value):
    """A decimal without trailing zeros (99.5000 → 99.5, 8.0000 → 8); "—" for None."""
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return value
