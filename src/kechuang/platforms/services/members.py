"""A platform's members (dated memberships): add and end."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.accounts.models import Unit
from kechuang.core.audit import audit_record
from kechuang.core.exceptions import ApplicationError
from kechuang.core.roles import Role, require_role

from ..models import Membership, Platform
from ._common import NOT_STAFF, refuse_unless_live


@transaction.atomic
def membership_add(
    *, actor, platform: Platform, unit: Unit, joined: datetime.date, role: str = Membership.Role.MEMBER
) -> Membership:
    """A unit joins an alliance or consortium on `joined`. One open membership per unit; one lead at a time."""
    require_role(actor, Role.STAFF, message=_(NOT_STAFF))
    if not platform.has_members:
        raise ApplicationError(_("只有产业技术联盟和企业创新联合体有成员单位。"), code="invalid")
    refuse_unless_live(platform)
    if joined < platform.established:
        raise ApplicationError(_("加入日期不能早于平台成立日期。"), code="invalid_date")
    if Membership.objects.filter(platform=platform, unit=unit, left__isnull=True).exists():
        raise ApplicationError(_("%(unit)s 已是该平台的成员单位。") % {"unit": unit}, code="duplicate")
    if (
        role == Membership.Role.LEAD
        and Membership.objects.filter(
            platform=platform, role=Membership.Role.LEAD, left__isnull=True
        ).exists()
    ):
        raise ApplicationError(_("该平台已有牵头单位；请先办理原牵头单位退出。"), code="duplicate")
    m = Membership(platform=platform, unit=unit, role=role, joined=joined)
    m.full_clean()
    m.save()
    audit_record(
        actor=actor,
        action="membership.add",
        obj=platform,
        after={"unit": unit.pk, "unit_name": unit.name, "role": role, "joined": joined},
    )
    return m


@transaction.atomic
def membership_end(*, actor, membership: Membership, left: datetime.date, reason: str = "") -> Membership:
    """The unit leaves on `left` (it is no longer counted from that day)."""
    require_role(actor, Role.STAFF, message=_(NOT_STAFF))
    m = Membership.objects.select_for_update().get(pk=membership.pk)
    if m.left is not None:
        raise ApplicationError(_("该单位已退出。"), code="invalid")
    if left < m.joined:
        raise ApplicationError(_("退出日期不能早于加入日期。"), code="invalid_date")
    m.left = left
    m.save(update_fields=["left", "updated_at"])
    audit_record(
        actor=actor,
        action="membership.end",
        obj=m.platform,
        before={"unit": m.unit_id, "left": None},
        after={"unit": m.unit_id, "left": left},
        reason=reason,
    )
    return m
