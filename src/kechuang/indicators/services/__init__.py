"""Every write of the indicators app. Each one checks the actor, validates, saves and audits.

One module per concern, the names re-exported here (`from kechuang.indicators import services`):
catalogue (regions, indicators), values (record, delete, import), targets, frameworks, runs (index runs)."""

from ._common import INDICATOR_FIELDS, NOT_STAFF, TARGET_FIELDS
from .analysis import run_analysis
from .catalogue import indicator_create, indicator_update, region_ensure
from .frameworks import (
    framework_create,
    framework_current_version,
    framework_install,
    framework_node_update,
    framework_save,
)
from .runs import index_run_create, result_as_dict, run_inputs, run_recompute
from .targets import target_set, target_update
from .values import value_delete, value_record, values_import

__all__ = [
    "INDICATOR_FIELDS",
    "NOT_STAFF",
    "TARGET_FIELDS",
    "framework_create",
    "framework_current_version",
    "framework_install",
    "framework_node_update",
    "framework_save",
    "index_run_create",
    "indicator_create",
    "indicator_update",
    "region_ensure",
    "result_as_dict",
    "run_analysis",
    "run_inputs",
    "run_recompute",
    "target_set",
    "target_update",
    "value_delete",
    "value_record",
    "values_import",
]
