"""Every write to the platform registry. Each service re-checks permission, validates, and audits.

Dated links (StatusPeriod, Affiliation, Membership) are only ever closed (an end date set) or opened, never
rewritten, so any past date can still be counted exactly.

One module per concern, the names re-exported here (`from kechuang.platforms import services`): registry
(create, edit, lifecycle, host units), members, achievements, reports (operators and yearly reports),
reorganisation (and merge candidates).
"""

from ._common import NOT_STAFF, default_level
from .achievements import achievement_count_record, achievement_create, achievement_kind_of
from .members import membership_add, membership_end
from .registry import (
    EDITABLE,
    cohost_add,
    platform_create,
    platform_host_change,
    platform_transition,
    platform_update,
)
from .reorganisation import merge_candidate_accept, merge_candidate_dismiss, reorganisation_create
from .reports import operator_assign, operator_remove, report_create, report_transition, report_update

__all__ = [
    "EDITABLE",
    "NOT_STAFF",
    "achievement_count_record",
    "achievement_create",
    "achievement_kind_of",
    "cohost_add",
    "default_level",
    "membership_add",
    "membership_end",
    "merge_candidate_accept",
    "merge_candidate_dismiss",
    "operator_assign",
    "operator_remove",
    "platform_create",
    "platform_host_change",
    "platform_transition",
    "platform_update",
    "reorganisation_create",
    "report_create",
    "report_transition",
    "report_update",
]
