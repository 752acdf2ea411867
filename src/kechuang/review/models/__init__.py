"""The review models, by concern: experts.py (the expert pool), rounds.py (forms, rounds, subjects, conflicts, assignments), reviews.py (reviews and their scores)."""

from .calls import CallStageRound
from .experts import REASON_LENGTH, Collaborator, DeclaredConflict, ExpertCredit, ExpertProfile, ExpertUnit
from .reviews import CriterionScore, Review, ReviewFile
from .rounds import (
    LEXIMIN_DEPTH_MAX,
    Assignment,
    Conflict,
    Criterion,
    ExternalSubject,
    ReviewForm,
    Round,
    RoundSubject,
)

__all__ = [
    "CallStageRound",
    "LEXIMIN_DEPTH_MAX",
    "REASON_LENGTH",
    "Collaborator",
    "DeclaredConflict",
    "ExpertCredit",
    "ExpertProfile",
    "ExpertUnit",
    "Assignment",
    "Conflict",
    "Criterion",
    "ExternalSubject",
    "ReviewForm",
    "Round",
    "RoundSubject",
    "CriterionScore",
    "Review",
    "ReviewFile",
]
