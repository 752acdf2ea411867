from django.utils.translation import gettext_lazy as _

from kechuang.core.roles import Role
from kechuang.core.ui import NavItem

ITEMS = [NavItem(_("经费拨付"), "funds:overview", frozenset({Role.STAFF.value}), order=27)]
