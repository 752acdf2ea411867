"""Every write of ingest: storing documents, undoing changes, reviewing facts and recording them.

Accepted facts become records in the app that owns them (docs/interfaces.md): indicator values through
`indicators.services.value_record`, platform/achievement counts through
`platforms.services.achievement_count_record`, anything else as an ingest `Event`. Those apps are imported
inside functions; when one does not offer its service yet, the fact stays accepted with its record
pending (never faked) and `fact_record_pending` retries later.

The services are grouped by concern: `documents` (store, update, revert, finish), `facts` (review
decisions), `recording` (accepted facts into the owning apps), `analysis` (the long pure work and the rows
it yields) and `common`. Callers import from `kechuang.ingest.services`.
"""

from .analysis import analyse, registry_snapshot
from .common import ACHIEVEMENT_WORDS, EDITABLE_FIELDS, MAX_BYTES_DEFAULT, NOT_ALLOWED, PLATFORM_WORDS
from .documents import (
    change_revert,
    document_finish,
    document_ingest,
    document_reopen,
    document_update,
    documents_recount_uncertain,
    report_read,
)
from .facts import UNCHECKED, ManyAccepted, fact_accept, fact_accept_many, fact_edit, fact_reject, fact_reopen
from .recording import fact_record, fact_record_pending, record_target

__all__ = [
    "ACHIEVEMENT_WORDS",
    "EDITABLE_FIELDS",
    "MAX_BYTES_DEFAULT",
    "NOT_ALLOWED",
    "PLATFORM_WORDS",
    "UNCHECKED",
    "ManyAccepted",
    "analyse",
    "change_revert",
    "document_finish",
    "document_ingest",
    "document_reopen",
    "document_update",
    "documents_recount_uncertain",
    "fact_accept",
    "fact_accept_many",
    "fact_edit",
    "fact_record",
    "fact_record_pending",
    "fact_reject",
    "fact_reopen",
    "report_read",
    "record_target",
    "registry_snapshot",
]
