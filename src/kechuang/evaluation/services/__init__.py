"""The evaluation services (writes, audited), by concern: campaigns.py (a campaign, its platforms or projects, its status), tree.py (the indicator tree), collect.py (expert review and the collected figures), compute.py (computing, publishing, verifying)."""

from ._common import NOT_STAFF, _require_status, _transition
from .campaigns import campaign_create, campaign_transition, campaign_translate, contracts_set, entries_set
from .collect import REPORT_FIELDS, _expert_means, campaign_collect, campaign_review_start, score_set
from .compute import (
    MISSING_GRADE,
    MISSING_LEAVE_OUT,
    MSG_MISSING_CHOICE,
    campaign_compute,
    campaign_inputs,
    campaign_publish,
    computation_verify,
)
from .tree import (
    DEFAULT_TREE,
    PROJECT_TREE,
    _check_grading,
    contract_indicator_english_followed,
    contract_nodes_sync,
    node_add,
    node_names_from_contracts,
    node_remove,
    node_weight_set,
    sources_of,
    tree_add_default,
)

__all__ = [
    "NOT_STAFF",
    "_require_status",
    "_transition",
    "campaign_create",
    "campaign_translate",
    "campaign_transition",
    "entries_set",
    "contracts_set",
    "PROJECT_TREE",
    "sources_of",
    "DEFAULT_TREE",
    "_check_grading",
    "node_add",
    "node_remove",
    "contract_indicator_english_followed",
    "node_names_from_contracts",
    "node_weight_set",
    "contract_nodes_sync",
    "tree_add_default",
    "REPORT_FIELDS",
    "_expert_means",
    "campaign_collect",
    "campaign_review_start",
    "score_set",
    "MISSING_GRADE",
    "MISSING_LEAVE_OUT",
    "MSG_MISSING_CHOICE",
    "campaign_compute",
    "campaign_inputs",
    "campaign_publish",
    "computation_verify",
]
