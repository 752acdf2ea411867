from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kechuang.core.roles import PUBLIC, Role
from kechuang.core.ui import NavItem

ITEMS = [
    NavItem(_("揭榜挂帅"), "challenges:challenge-list", frozenset({PUBLIC}), order=10),
    NavItem(_("立项公示"), "challenges:awards", frozenset({PUBLIC}), order=11),
    NavItem(pgettext_lazy("标题", "成果"), "challenges:results", frozenset({PUBLIC}), order=12),
    NavItem(
        pgettext_lazy("列表", "技术需求"),
        "challenges:need-list",
        frozenset({Role.STAFF, Role.APPLICANT}),
        order=20,
    ),
    NavItem(pgettext_lazy("列表", "课题"), "challenges:topic-list", frozenset({Role.STAFF}), order=21),
    NavItem(
        pgettext_lazy("列表", "揭榜申请"),
        "challenges:application-list",
        frozenset({Role.STAFF, Role.APPLICANT}),
        order=22,
    ),
    NavItem(_("查重"), "challenges:duplicate-list", frozenset({Role.STAFF}), order=22),
    NavItem(
        _("攻关项目"),
        "challenges:contract-list",
        frozenset({Role.STAFF, Role.COMMISSIONER, Role.APPLICANT}),
        order=23,
    ),
]
