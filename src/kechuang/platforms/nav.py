from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kechuang.core.roles import PUBLIC, Role
from kechuang.core.ui import NavItem

ITEMS = [
    NavItem(_("创新平台"), "platforms:list", frozenset({PUBLIC}), order=20),
    NavItem(_("平台统计"), "platforms:statistics", frozenset({PUBLIC}), order=21),
    NavItem(
        pgettext_lazy("列表", "年度报告"),
        "platforms:reports",
        frozenset({Role.STAFF, Role.COMMISSIONER, Role.OPERATOR}),
        order=22,
    ),
]
