"""Chinese dates as Kechuang writes them: "2026年12月4日", "2026年12月4日 22:32" (Django's own, stated here so
the pair is in one place). Keep kechuang.core.dates in step."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"
SHORT_DATE_FORMAT = "Y年n月j日"
SHORT_DATETIME_FORMAT = "Y年n月j日 H:i"
TIME_FORMAT = "H:i"
