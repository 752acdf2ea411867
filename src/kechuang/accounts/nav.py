from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kechuang.core.roles import Role
from kechuang.core.ui import NavItem

ITEMS = [
    NavItem(
        pgettext_lazy("列表", "单位"),
        "accounts:unit-list",
        frozenset({Role.STAFF, Role.COMMISSIONER}),
        order=900,
    ),
    NavItem(_("用户"), "accounts:user-list", frozenset({Role.STAFF}), order=905),
    NavItem(_("后台任务"), "core:job-list", frozenset({Role.STAFF}), order=950),
    NavItem(_("邮件发送"), "web:email-list", frozenset({Role.STAFF}), order=955),
    NavItem(_("审计日志"), "core:audit-log", frozenset({Role.STAFF}), order=960),
]
