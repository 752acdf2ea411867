"""What the platform pages share: the role and the as-of date parameter."""

from kechuang.core.dates import date_filter
from kechuang.core.roles import Role

STAFF = Role.STAFF


def _date_param(request, name="as_of"):
    """?as_of= (core.dates.date_filter): the date used, and why a value typed was not read (beside the box)."""
    return date_filter(request, name)
