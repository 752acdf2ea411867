from django.utils.translation import gettext_lazy as _

from kechuang.accounts.roles import Role
from kechuang.web.registry import NavItem

ITEMS = [NavItem(_("报告导入"), "ingest:document-list", frozenset({Role.STAFF}), order=80)]
