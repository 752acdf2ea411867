"""Every write of the open-challenge programme. Split by stage; import from here.

needs.py: need_submit, topic_create (used by techmap), topic_update, topic_add_needs
calls.py: challenge_create/update/publish/close/cancel/finish, challenges_close_due, review_round_start,
          review_start_manual, review_scores_record, defence_round_start/of, defence_scores_record (答辩)
decisions.py: decision_publish, objection_lodge/answer, award_confirm
applications.py: application_create/update/team_set/partners_set/milestones_set, attachment_add/remove,
          application_submit/withdraw, formal_check,
          application_field_file_set (a staff-added file field of the application form)
projects.py: contract_assign_commissioner/update/sign/terminate, milestone_report/verify/send_back,
          milestones_flag
changes.py: change_request_create/decide
performance.py: performance_save/submit/confirm (绩效评价 after acceptance), why_no_performance
preapplications.py: pre_application_submit, pre_application_shortlist (预申报 and its shortlist)
tracking.py: midterm_score, midterm_check_record, downselect_record, acceptance_request/record,
          result_record, transfer_record
"""

from .applications import (
    application_create,
    application_field_file_set,
    application_milestones_set,
    application_partners_set,
    application_submit,
    application_team_set,
    application_update,
    application_withdraw,
    attachment_add,
    attachment_remove,
    formal_check,
)
from .calls import (
    add_months,
    challenge_cancel,
    challenge_close,
    challenge_create,
    challenge_english_set,
    challenge_finish,
    challenge_publish,
    challenge_translate,
    challenge_update,
    challenges_close_due,
    defence_round_of,
    defence_round_start,
    defence_scores_record,
    indicator_names_translate,
    indicator_units_translate,
    review_round_of,
    review_round_start,
    review_scores_record,
    review_start_manual,
)
from .changes import change_request_create, change_request_decide
from .decisions import award_confirm, decision_publish, objection_answer, objection_lodge
from .dedup import dedup_index, dedup_rebuild, dedup_submit, duplicate_decide
from .needs import IMPORT_HEADINGS as NEEDS_IMPORT_HEADINGS
from .needs import need_submit, needs_import, topic_add_needs, topic_create, topic_update
from .performance import (
    performance_confirm,
    performance_form,
    performance_save,
    performance_submit,
    why_no_performance,
)
from .preapplications import pre_application_shortlist, pre_application_submit
from .projects import (
    contract_assign_commissioner,
    contract_sign,
    contract_terminate,
    contract_update,
    milestone_report,
    milestone_send_back,
    milestone_verify,
    milestones_flag,
    report_field_file_set,
)
from .tracking import (
    acceptance_record,
    acceptance_request,
    downselect_record,
    midterm_check_record,
    midterm_score,
    result_record,
    transfer_record,
)

__all__ = [
    "performance_confirm",
    "performance_form",
    "performance_save",
    "performance_submit",
    "why_no_performance",
    "defence_round_of",
    "defence_round_start",
    "defence_scores_record",
    "pre_application_shortlist",
    "pre_application_submit",
    "report_field_file_set",
    "dedup_index",
    "dedup_rebuild",
    "dedup_submit",
    "duplicate_decide",
    "acceptance_record",
    "acceptance_request",
    "add_months",
    "application_create",
    "application_milestones_set",
    "application_submit",
    "application_team_set",
    "application_partners_set",
    "application_update",
    "application_withdraw",
    "attachment_add",
    "application_field_file_set",
    "attachment_remove",
    "award_confirm",
    "challenge_cancel",
    "challenge_close",
    "challenge_create",
    "challenge_finish",
    "challenge_publish",
    "challenge_english_set",
    "challenge_translate",
    "indicator_names_translate",
    "indicator_units_translate",
    "challenge_update",
    "challenges_close_due",
    "change_request_create",
    "change_request_decide",
    "contract_assign_commissioner",
    "contract_sign",
    "contract_terminate",
    "contract_update",
    "decision_publish",
    "downselect_record",
    "formal_check",
    "midterm_check_record",
    "midterm_score",
    "milestone_report",
    "milestone_send_back",
    "milestone_verify",
    "milestones_flag",
    "need_submit",
    "needs_import",
    "NEEDS_IMPORT_HEADINGS",
    "objection_answer",
    "objection_lodge",
    "result_record",
    "review_round_of",
    "review_round_start",
    "review_start_manual",
    "review_scores_record",
    "topic_add_needs",
    "topic_create",
    "topic_update",
    "transfer_record",
]
