from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kechuang.core.roles import Role
from kechuang.core.ui import NavItem

ITEMS = [
    NavItem(_("我的评审"), "review:my-assignments", frozenset({Role.EXPERT}), order=400, group=_("专家评审")),
    NavItem(_("专家档案"), "review:my-profile", frozenset({Role.EXPERT}), order=401, group=_("专家评审")),
    NavItem(_("专家库"), "review:expert-list", frozenset({Role.STAFF}), order=410, group=_("专家评审")),
    NavItem(
        pgettext_lazy("列表", "评审轮次"),
        "review:round-list",
        frozenset({Role.STAFF}),
        order=411,
        group=_("专家评审"),
    ),
]
