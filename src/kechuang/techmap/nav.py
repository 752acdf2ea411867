from django.utils.translation import gettext_lazy as _

from kechuang.core.roles import PUBLIC, Role
from kechuang.core.ui import NavItem

ITEMS = [
    NavItem(_("攻坚图谱"), "techmap:index", frozenset({PUBLIC}), order=40),
    NavItem(_("技术缺口"), "techmap:gaps", frozenset({Role.STAFF, Role.COMMISSIONER, Role.EXPERT}), order=41),
]
