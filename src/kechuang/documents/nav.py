from django.utils.translation import gettext_lazy as _

from kechuang.core.roles import PUBLIC
from kechuang.core.ui import NavItem

# Under the challenge programme's menu, beside the public results search: the open-data download (CERIF-XML).
ITEMS = [
    NavItem(_("开放数据"), "documents:opendata", frozenset({PUBLIC}), order=14, group="challenges"),
]
