"""The platforms' counts kept by their writes (core.counters): yearly reports waiting for staff, and the
version of the dashboard cards counted over the registry (every platform and status period write steps it)."""

from kechuang.core.counters import Counted, Versioned, register

register(
    Counted("platforms.reports_submitted", "platforms.YearlyReport", {"status": ("submitted",)}),
    Versioned("platforms.version", ("platforms.Platform", "platforms.StatusPeriod")),
)
