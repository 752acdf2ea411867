"""The lifecycles of accounts: a registered unit's verification and a unit change request's decision. Pure:
states and transitions over values; the services (services/units.py, services/change_requests.py) check a
transition here, then write the row and its audit event."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kechuang.core.roles import Role
from kechuang.core.workflow import StateMachine, Transition

STAFF = frozenset({Role.STAFF.value})


class UnitStatus(models.TextChoices):
    PENDING = "pending", _("待核验")
    VERIFIED = "verified", _("已核验")
    REJECTED = "rejected", _("未通过核验")


class ChangeRequestStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")


# Named apart from the audit actions ("unit.verify", "unit.change_request.approve"), which the services
# record with what they changed (the users let in, the values taken).
UNIT = StateMachine(
    "unit_status",
    UnitStatus,
    [
        Transition(
            "verify",
            frozenset({UnitStatus.PENDING, UnitStatus.REJECTED}),
            UnitStatus.VERIFIED,
            STAFF,
            _("核验"),
        ),
        Transition(
            "reject",
            frozenset({UnitStatus.PENDING}),
            UnitStatus.REJECTED,
            STAFF,
            _("退回"),
            needs_reason=True,
        ),
    ],
)

CHANGE_REQUEST = StateMachine(
    "unit_change_request",
    ChangeRequestStatus,
    [
        Transition(
            "approve",
            frozenset({ChangeRequestStatus.PENDING}),
            ChangeRequestStatus.APPROVED,
            STAFF,
            _("批准"),
        ),
        Transition(
            "reject",
            frozenset({ChangeRequestStatus.PENDING}),
            ChangeRequestStatus.REJECTED,
            STAFF,
            _("驳回"),
            needs_reason=True,
        ),
    ],
)
