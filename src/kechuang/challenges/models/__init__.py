"""The records of the open-challenge programme, from a need to a transferred result.

Split by stage: needs.py (Need, Topic), calls.py (Challenge and its indicators, Publicity, Objection),
applications.py (Application, its team, milestones and attachments), projects.py (Contract and what
tracks it: Milestone, ChangeRequest, MidtermCheck, DownSelect, Acceptance, Result, Transfer).
"""

from .applications import (
    LEAD_ROLE_LABEL,
    Application,
    ApplicationMember,
    ApplicationMilestone,
    ApplicationPartner,
    Attachment,
    PreApplication,
)
from .calls import Challenge, ChallengeIndicator, Objection, Publicity
from .dedup import DuplicateIndexEntry, DuplicatePair
from .needs import Need, Topic
from .projects import (
    Acceptance,
    AcceptanceItem,
    ChangeRequest,
    Contract,
    ContractIndicator,
    DownSelect,
    DownSelectOutcome,
    MidtermCheck,
    Milestone,
    MilestoneValue,
    PerformanceEvaluation,
    ReportFile,
    Result,
    Transfer,
)

__all__ = [
    "PreApplication",
    "PerformanceEvaluation",
    "Acceptance",
    "AcceptanceItem",
    "Application",
    "DuplicateIndexEntry",
    "DuplicatePair",
    "ApplicationMember",
    "ApplicationMilestone",
    "ApplicationPartner",
    "LEAD_ROLE_LABEL",
    "Attachment",
    "Challenge",
    "ChallengeIndicator",
    "ChangeRequest",
    "Contract",
    "ContractIndicator",
    "DownSelect",
    "DownSelectOutcome",
    "MidtermCheck",
    "Milestone",
    "MilestoneValue",
    "Need",
    "Objection",
    "Publicity",
    "ReportFile",
    "Result",
    "Topic",
    "Transfer",
]
