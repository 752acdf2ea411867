from django.utils.translation import gettext_lazy as _

from kechuang.core.roles import Role
from kechuang.core.ui import NavItem

ITEMS = [
    NavItem(_("科研诚信"), "integrity:record-list", frozenset({Role.STAFF}), order=412, group="review"),
]
