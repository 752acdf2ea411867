"""Periodic tasks of core, collected into Celery beat's schedule (`kechuang beat`)."""

SCHEDULE = {
    # Jobs whose worker died (kill -9, out of memory, host down) are marked failed, so people see it and
    # can re-run them, instead of watching a progress bar that never moves (docs/adr/0007).
    "core-reap-lost-jobs": {"task": "kechuang.reap_lost_jobs", "schedule": 300.0},
    # The audit trail's hash chain, verified once a day; staff are told when it is broken (core.auditchain).
    "core-audit-chain-check": {"task": "kechuang.audit_chain_check", "schedule": 86400.0},
}
