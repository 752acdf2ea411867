"""The platforms' counts kept by their writes (core.counters): yearly reports waiting for staff."""

from kechuang.core.counters import Counted, register

register(Counted("platforms.reports_submitted", "platforms.YearlyReport", {"status": ("submitted",)}))
