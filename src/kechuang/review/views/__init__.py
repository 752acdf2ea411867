"""The review pages, by concern: experts.py (the pool and an expert's own profile), reviews.py (an expert's reviews), rounds.py (rounds, assignment, the panel). urls.py names them as views.<name>."""

from .calls import assignment_release, call_review_open
from .experts import (
    _my_profile_new,
    expert_credit,
    expert_detail,
    expert_import,
    expert_list,
    expert_transition,
    my_profile,
)
from .reviews import _documents, my_assignments, review_action, review_detail, review_file_download
from .rounds import (
    _round_actions,
    assignment_swap,
    reviewable_types,
    round_assign,
    round_create,
    round_detail,
    round_list,
    round_panel,
    round_settings,
    round_transition,
)

__all__ = [
    "assignment_release",
    "call_review_open",
    "_my_profile_new",
    "expert_credit",
    "expert_detail",
    "expert_import",
    "expert_list",
    "expert_transition",
    "my_profile",
    "_documents",
    "my_assignments",
    "review_action",
    "review_detail",
    "review_file_download",
    "_round_actions",
    "assignment_swap",
    "reviewable_types",
    "round_assign",
    "round_create",
    "round_detail",
    "round_list",
    "round_panel",
    "round_settings",
    "round_transition",
]
