"""What the platforms API shares: the roles and the date parameter."""

import datetime

from django.utils import timezone
from rest_framework.exceptions import ValidationError

from kechuang.core.roles import Role

STAFF = (Role.STAFF,)


INTERNAL = (Role.STAFF, Role.COMMISSIONER)


def _date(raw: str | None, name: str = "date") -> datetime.date:
    if not raw:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({name: ["日期格式应为 YYYY-MM-DD。"]})
