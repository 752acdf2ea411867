"""The counts core keeps (core.counters): notification e-mails that could not be sent."""

from .counters import Counted, register

register(Counted("core.emails_failed", "core.OutboundEmail", {"status": ("failed",)}))
