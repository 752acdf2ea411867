"""English dates as Kechuang writes them: "4 Dec 2026", "4 Dec 2026 22:32" (24-hour clock, like the Chinese
pages), through the `date` filter's defaults (FORMAT_MODULE_PATH). Keep kechuang.core.dates in step."""

from django.conf.locale.en.formats import *  # noqa: F403

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "M Y"
MONTH_DAY_FORMAT = "j M"
