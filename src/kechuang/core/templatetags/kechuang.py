from django import template

from kechuang.core.audit import audit_trail_for

register = template.Library()


@register.inclusion_tag("web/_audit_trail.html")
def audit_trail(obj, limit=200):
    """The object's audit trail, newest first (every object page shows it)."""
    return {"audit_events": list(audit_trail_for(obj)[:limit])}


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None
