"""The pure part of ingestion: bytes -> text -> repaired text -> facts. No database, no Django models.

`repair(text)` runs the named repair steps (each recorded as edits a person can see and undo) and
returns the repaired text with an offset map back to the original; `extract_facts(repaired)` finds the
facts. `decode_document(data, filename)` turns a file's bytes into text (encoding detected).
"""

from .decode import UnsupportedDocument, decode_document
from .edits import Edit
from .extract import Fact, extract_facts
from .repair import STEP_NAMES, RepairResult, repair, repair_many, warm_up

__all__ = [
    "STEP_NAMES",
    "Edit",
    "Fact",
    "RepairResult",
    "UnsupportedDocument",
    "decode_document",
    "extract_facts",
    "repair",
    "repair_many",
    "warm_up",
]
