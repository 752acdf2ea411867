from django.utils.translation import gettext_lazy as _

from kechuang.core.roles import PUBLIC, Role
from kechuang.core.ui import NavItem

# Under the challenge programme's menu: the registries build on its results and transfers.
ITEMS = [
    NavItem(_("科技成果登记"), "registry:result-search", frozenset({PUBLIC}), order=13, group="challenges"),
    NavItem(
        _("技术合同登记"),
        "registry:contract-list",
        frozenset({Role.STAFF, Role.APPLICANT}),
        order=24,
        group="challenges",
    ),
    NavItem(_("技术合同统计"), "registry:stats", frozenset({Role.STAFF}), order=25, group="challenges"),
]
