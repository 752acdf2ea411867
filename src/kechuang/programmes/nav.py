from django.utils.translation import gettext_lazy as _

from kechuang.core.roles import Role
from kechuang.core.ui import NavItem

ITEMS = [NavItem(_("计划类别与表单"), "programmes:index", frozenset({Role.STAFF.value}), order=28)]
