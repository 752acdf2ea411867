"""Every write of the review app. Each checks permission, validates, and is audited.

One module per concern; callers import from here (`from kechuang.review import services`):
- experts: the expert pool (profiles, units, collaborators, declared conflicts, credit records);
- expert_import: experts from Excel/CSV;
- rounds: scoring forms, rounds (`round_create` with its `RoundSettings`) and their transitions,
  external subjects;
- assignment: the solver's problem from a round, the solver run and its re-run check, manual changes;
- calls: the expert review of programme calls' 函评 and 会评/答辩 stages (issue #18);
- reviews: an expert's review (open, decline, save, submit) and staff's reopen and release.
"""

from ._common import ONLY_STAFF
from .assignment import (
    assignment_create_manual,
    problem_from_input,
    round_assign,
    round_problem,
    round_rerun_check,
)
from .calls import (
    assignment_release,
    call_review_open,
    call_review_subjects,
    form_criteria,
    review_form_for,
    stage_closed,
    stage_refusals,
)
from .expert_import import IMPORT_COLUMNS, expert_import
from .expert_import import headings as expert_import_headings
from .experts import (
    PROFILE_FIELDS,
    collaborator_add,
    declared_conflict_add,
    expert_credit_record,
    expert_profile_create,
    expert_profile_transition,
    expert_profile_update,
    expert_unit_add,
)
from .reviews import (
    DECLARATION_REQUIRED,
    declaration_missing,
    review_decline,
    review_file_set,
    review_open,
    review_release,
    review_reopen,
    review_save,
    review_specs,
    review_submit,
)
from .rounds import (
    RoundOptions,
    RoundSettings,
    external_subject_create,
    form_create,
    round_create,
    round_settings_update,
    round_transition,
)

__all__ = [
    "DECLARATION_REQUIRED",
    "declaration_missing",
    "IMPORT_COLUMNS",
    "ONLY_STAFF",
    "PROFILE_FIELDS",
    "RoundOptions",
    "RoundSettings",
    "assignment_release",
    "call_review_open",
    "call_review_subjects",
    "form_criteria",
    "review_form_for",
    "stage_closed",
    "stage_refusals",
    "assignment_create_manual",
    "collaborator_add",
    "declared_conflict_add",
    "expert_credit_record",
    "expert_import",
    "expert_import_headings",
    "expert_profile_create",
    "expert_profile_transition",
    "expert_profile_update",
    "expert_unit_add",
    "external_subject_create",
    "form_create",
    "problem_from_input",
    "review_decline",
    "review_open",
    "review_release",
    "review_reopen",
    "review_file_set",
    "review_save",
    "review_specs",
    "review_submit",
    "round_assign",
    "round_create",
    "round_settings_update",
    "round_problem",
    "round_rerun_check",
    "round_transition",
]
