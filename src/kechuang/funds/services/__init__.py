"""Every write of the money: import services from here."""

from .budget import (
    application_budget_set,
    application_problems,
    contract_budget_set,
    ledger_open,
    on_contract_signed,
    rules_set,
)
from .execution import (
    adjustment_decide,
    adjustment_request,
    final_account_draft,
    final_account_transition,
    spending_report_set,
)
from .payments import cofunding_record, on_milestone_verified, payment_due, payment_transition

__all__ = [
    "adjustment_decide",
    "adjustment_request",
    "application_budget_set",
    "application_problems",
    "cofunding_record",
    "contract_budget_set",
    "final_account_draft",
    "final_account_transition",
    "ledger_open",
    "on_contract_signed",
    "on_milestone_verified",
    "payment_due",
    "payment_transition",
    "rules_set",
    "spending_report_set",
]
