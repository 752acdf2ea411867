from django.utils.translation import gettext_lazy as _

from kechuang.core.roles import PUBLIC, Role
from kechuang.core.ui import NavItem

ITEMS = [
    NavItem(_("指标"), "indicators:dashboard", frozenset({PUBLIC}), order=600, group=_("指标与指数")),
    NavItem(
        _("综合指数"),
        "indicators:framework-list",
        frozenset({Role.STAFF, Role.COMMISSIONER}),
        order=610,
        group=_("指标与指数"),
    ),
]
