"""`{{ stage|local:"name" }}`, `{{ field|local:"label" }}`: a definition's name in the active language (its
English form on an English page when staff gave one, else the Chinese; programmes.names)."""

from django import template

from kechuang.programmes import names

register = template.Library()


@register.filter
def local(item, key):
    return names.local(item, key)
