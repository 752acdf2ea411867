from django.utils.translation import gettext_lazy as _

from kechuang.core.roles import Role
from kechuang.core.ui import NavItem

ITEMS = [NavItem(_("报告导入"), "ingest:document-list", frozenset({Role.STAFF}), order=80)]
