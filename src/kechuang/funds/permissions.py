"""Who sees and moves the money. Staff see and decide everything; a commissioner sees the projects assigned
to them and decides the small budget adjustments; the contracted unit's users enter the budget, report
spending, ask for adjustments and submit the final accounts; nobody else sees a project's money."""

from django.db.models import QuerySet

from kechuang.challenges import permissions as projects
from kechuang.challenges.models import Application, Contract
from kechuang.core.roles import Role, has_role


def _unit_user(user, unit_id) -> bool:
    if not has_role(user, Role.APPLICANT):
        return False
    return bool(user.unit_id) and user.unit_id == unit_id


def contracts_visible_to(user) -> QuerySet[Contract]:
    """The projects whose money the user may see: challenges' rule for contracts."""
    return projects.contracts_visible_to(user)


def can_view_funds(user, contract: Contract) -> bool:
    """See contracts_visible_to."""
    return projects.can_view_contract(user, contract)


def can_view_budget(user, application: Application) -> bool:
    """An application's budget: whoever may see the application."""
    return projects.can_view_application(user, application)


def can_edit_budget(user, application: Application) -> bool:
    """The applicant unit's users, while they may edit the application."""
    return projects.can_edit_application(user, application)


def can_set_rules(user) -> bool:
    """Staff set a call's budget rules."""
    return has_role(user, Role.STAFF)


def can_manage_payments(user) -> bool:
    """Staff approve, pay, withhold and reinstate payments and record co-funding receipts."""
    return has_role(user, Role.STAFF)


def can_read_voucher(user, contract: Contract) -> bool:
    """A payment voucher: staff, the project's commissioner and its unit (who see the project)."""
    return can_view_funds(user, contract)


def can_report_spending(user, contract: Contract) -> bool:
    """The contracted unit's users report spending while the project runs, and up to its final accounts."""
    if contract.status not in ("in_progress", "acceptance", "finished"):
        return False
    return _unit_user(user, contract.unit_id)


def can_request_adjustment(user, contract: Contract) -> bool:
    """The contracted unit's users ask for budget adjustments of a running project."""
    if contract.status != "in_progress":
        return False
    return _unit_user(user, contract.unit_id)


def can_decide_adjustment(user, contract: Contract) -> bool:
    """Staff, or the project's own commissioner (within the small-adjustment limits, see workflow)."""
    if has_role(user, Role.STAFF):
        return True
    if not has_role(user, Role.COMMISSIONER):
        return False
    return contract.commissioner_id == user.pk


def can_edit_final_account(user, contract: Contract) -> bool:
    """The contracted unit's users draw up and submit the final accounts."""
    return _unit_user(user, contract.unit_id)


def can_confirm_final_account(user) -> bool:
    """Staff confirm or return final accounts."""
    return has_role(user, Role.STAFF)


def can_view_overview(user) -> bool:
    """The department's view of money across programmes: staff."""
    return has_role(user, Role.STAFF)
