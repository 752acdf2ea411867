"""What the platform pages share: the role and the as-of date parameter."""

import datetime

from django.contrib import messages
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.core.roles import Role

STAFF = Role.STAFF


def _date_param(request, name="as_of") -> datetime.date:
    raw = request.GET.get(name, "").strip()
    if raw:
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError:
            messages.error(request, _("日期格式应为 YYYY-MM-DD，已按今天计算。"))
    return timezone.localdate()
