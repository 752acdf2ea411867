from django.utils.translation import gettext_lazy as _

from kechuang.core.roles import PUBLIC
from kechuang.core.ui import NavItem

ITEMS = [NavItem(_("平台评估"), "evaluation:list", frozenset({PUBLIC}), order=25)]
