"""Every write of the two registries: keyword-only, permission-checked, audited, one transaction each.

Result registrations build on a project's result (challenges.Result): who may record that result may file its
registration; staff approve it, which assigns the registration number (numbers.py). Technology contracts are
filed by a unit user for their own unit (as seller or buyer) or by staff, optionally from a transfer already
recorded on a result (challenges.Transfer); staff register them.
"""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.challenges import permissions as challenge_permissions
from kechuang.core.audit import audit_record, diff, snapshot
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.roles import Role, actor_roles, has_role
from kechuang.core.services import optimistic_save, transition_apply

from .models import (
    NumberCounter,
    RegistrationPerson,
    RegistrationUnit,
    ResultRegistration,
    TechContract,
)
from .numbers import format_number
from .workflow import RESULT_REGISTRATION, TECH_CONTRACT, ContractStatus, RegistrationStatus

REGISTRATION_FIELDS = [
    "name",
    "category",
    "evaluation",
    "evaluated_on",
    "stage",
    "industry",
    "keywords",
    "ip_kind",
    "ip_numbers",
    "doi",
    "summary",
]
CONTRACT_FIELDS = [
    "title",
    "kind",
    "field",
    "seller_id",
    "buyer_id",
    "amount",
    "tech_amount",
    "signed_on",
    "result_id",
    "transfer_id",
]
EDITABLE = (RegistrationStatus.DRAFT, RegistrationStatus.RETURNED)
# A transfer recorded on a result, as the kind of technology contract it is.
TRANSFER_KIND = {"licence": "licence", "sale": "transfer", "equity": "transfer"}


def next_number(kind: str, year: int) -> str:
    """The next registration number of a registry in a year, from its locked counter row (numbers.py)."""
    counter, _created = NumberCounter.objects.select_for_update().get_or_create(kind=kind, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return format_number(kind, settings.KECHUANG_REGION_CODE, year, counter.last)


# Result registrations ----------------------------------------------------------------------------------------


def can_file_registration(user, result) -> bool:
    return challenge_permissions.can_record_result(user, result.contract)


def _set_people(registration: ResultRegistration, units: Sequence, people: Sequence) -> None:
    if len({u.pk for u in units}) != len(units) or len({p.pk for p in people}) != len(people):
        raise ApplicationError(_("同一单位或同一人只能列一次。"), code="duplicate_party")
    registration.unit_rows.all().delete()
    registration.person_rows.all().delete()
    RegistrationUnit.objects.bulk_create(
        RegistrationUnit(registration=registration, seq=i, unit=u) for i, u in enumerate(units, start=1)
    )
    RegistrationPerson.objects.bulk_create(
        RegistrationPerson(registration=registration, seq=i, person=p) for i, p in enumerate(people, start=1)
    )


def _parties(registration) -> dict:
    return {
        "units": [r.unit_id for r in registration.unit_rows.order_by("seq")],
        "people": [r.person_id for r in registration.person_rows.order_by("seq")],
    }


@transaction.atomic
def registration_create(*, actor, result, units: Sequence, people: Sequence, **fields) -> ResultRegistration:
    """File the registration of a project's result as a draft (the national form's fields)."""
    if not can_file_registration(actor, result):
        raise PermissionDenied(_("您无权登记此成果。"))
    if ResultRegistration.objects.filter(result=result).exists():
        raise ApplicationError(_("该成果已有登记表。"), code="already_filed")
    reg = ResultRegistration(
        result=result,
        filed_by=actor if getattr(actor, "pk", None) else None,
        **{k: v for k, v in fields.items() if k in REGISTRATION_FIELDS},
    )
    reg.full_clean()
    reg.save()
    _set_people(reg, list(units), list(people))
    audit_record(
        actor=actor,
        action="result_registration.create",
        obj=reg,
        after={**snapshot(reg, ["result_id", *REGISTRATION_FIELDS]), **_parties(reg)},
    )
    return reg


@transaction.atomic
def registration_update(
    *, actor, registration: ResultRegistration, expected_version: int, units=None, people=None, **fields
) -> ResultRegistration:
    """Change a draft or returned registration (optimistic on `version`)."""
    if not can_file_registration(actor, registration.result):
        raise PermissionDenied(_("您无权修改此登记表。"))
    if registration.status not in EDITABLE:
        raise ApplicationError(_("只有草稿或退回的登记表可以修改。"), code="not_editable")
    before = {**snapshot(registration, REGISTRATION_FIELDS), **_parties(registration)}
    changed = [k for k in fields if k in REGISTRATION_FIELDS]
    for k in changed:
        setattr(registration, k, fields[k])
    registration.full_clean()
    optimistic_save(obj=registration, expected_version=expected_version, update_fields=changed)
    if units is not None or people is not None:
        current = _parties(registration)
        from kechuang.accounts.models import Unit, User

        _set_people(
            registration,
            list(units) if units is not None else list(Unit.objects.filter(pk__in=current["units"])),
            list(people) if people is not None else list(User.objects.filter(pk__in=current["people"])),
        )
    b, a = diff(before, {**snapshot(registration, REGISTRATION_FIELDS), **_parties(registration)})
    audit_record(actor=actor, action="result_registration.update", obj=registration, before=b, after=a)
    return registration


def missing_fields(registration: ResultRegistration) -> list[str]:
    """What the national form still lacks (the submit and approve guards say these)."""
    missing = []
    if not registration.unit_rows.exists():
        missing.append(_("完成单位"))
    if not registration.person_rows.exists():
        missing.append(_("完成人"))
    if len(registration.keyword_list()) < 1:
        missing.append(_("关键词"))
    if not (registration.summary or "").strip():
        missing.append(_("成果简介"))
    if registration.ip_kind != ResultRegistration.IP.NONE and not registration.ip_numbers.strip():
        missing.append(_("知识产权编号"))
    return missing


@transaction.atomic
def registration_transition(
    *, actor, registration: ResultRegistration, action: str, reason: str = ""
) -> ResultRegistration:
    """submit (the filer), return {reason} / approve / revoke {reason} (staff). Approval assigns the number."""
    if action == "submit" and not can_file_registration(actor, registration.result):
        raise PermissionDenied(_("您无权提交此登记表。"))
    extra = {}
    if action in ("return", "revoke"):
        extra["note"] = reason
    if action == "approve":
        RESULT_REGISTRATION.check(
            registration.status,
            action,
            actor_roles(actor),
            obj=registration,
            ctx={"missing": missing_fields(registration)},
        )
        now = timezone.now()
        if registration.number is None:
            extra["number"] = next_number("result", timezone.localtime(now).year)
        extra["registered_at"] = now
        extra["note"] = reason
    transition_apply(
        obj=registration,
        machine=RESULT_REGISTRATION,
        action=action,
        actor=actor,
        roles=actor_roles(actor),
        reason=reason,
        ctx={"missing": missing_fields(registration)},
        extra_updates=extra,
    )
    return registration


# Technology contracts ----------------------------------------------------------------------------------------


def can_file_contract(user, *, seller, buyer) -> bool:
    """Staff file any contract; a unit user one their own unit is a party to."""
    if has_role(user, Role.STAFF):
        return True
    unit_id = getattr(user, "unit_id", None)
    return bool(unit_id) and has_role(user, Role.APPLICANT) and unit_id in (seller.pk, buyer.pk)


def _check_transfer(actor, fields: dict) -> None:
    transfer, result = fields.get("transfer"), fields.get("result")
    if transfer is not None:
        if not challenge_permissions.can_record_result(actor, transfer.result.contract):
            raise PermissionDenied(_("您无权登记此成果转化。"))
        if result is not None and result.pk != transfer.result_id:
            raise ApplicationError(_("所选转化记录不属于所选成果。"), code="transfer_mismatch")
        fields["result"] = transfer.result
    elif result is not None and not challenge_permissions.can_record_result(actor, result.contract):
        raise PermissionDenied(_("您无权登记此成果的合同。"))


@transaction.atomic
def contract_create(*, actor, seller, buyer, **fields) -> TechContract:
    """File a technology contract as a draft."""
    if not can_file_contract(actor, seller=seller, buyer=buyer):
        raise PermissionDenied(_("只能登记本单位作为一方的技术合同。"))
    _check_transfer(actor, fields)
    c = TechContract(
        seller=seller,
        buyer=buyer,
        filed_by=actor if getattr(actor, "pk", None) else None,
        **{
            k: v
            for k, v in fields.items()
            if k in ("title", "kind", "field", "amount", "tech_amount", "signed_on", "result", "transfer")
        },
    )
    c.full_clean()
    c.save()
    audit_record(actor=actor, action="tech_contract.create", obj=c, after=snapshot(c, CONTRACT_FIELDS))
    return c


@transaction.atomic
def contract_update(*, actor, contract: TechContract, expected_version: int, **fields) -> TechContract:
    """Change a draft contract (optimistic on `version`)."""
    seller, buyer = fields.get("seller", contract.seller), fields.get("buyer", contract.buyer)
    if not can_file_contract(actor, seller=contract.seller, buyer=contract.buyer) or not can_file_contract(
        actor, seller=seller, buyer=buyer
    ):
        raise PermissionDenied(_("只能登记本单位作为一方的技术合同。"))
    if contract.status != ContractStatus.DRAFT:
        raise ApplicationError(_("只有草稿可以修改。"), code="not_editable")
    _check_transfer(actor, fields)
    before = snapshot(contract, CONTRACT_FIELDS)
    names = (
        "title",
        "kind",
        "field",
        "seller",
        "buyer",
        "amount",
        "tech_amount",
        "signed_on",
        "result",
        "transfer",
    )
    changed = [k for k in fields if k in names]
    for k in changed:
        setattr(contract, k, fields[k])
    contract.full_clean()
    optimistic_save(
        obj=contract,
        expected_version=expected_version,
        update_fields=[TechContract._meta.get_field(k).attname for k in changed],
    )
    b, a = diff(before, snapshot(contract, CONTRACT_FIELDS))
    audit_record(actor=actor, action="tech_contract.update", obj=contract, before=b, after=a)
    return contract


@transaction.atomic
def contract_transition(*, actor, contract: TechContract, action: str, reason: str = "") -> TechContract:
    """submit (the filer), register / refuse {reason} (staff). Registration assigns the number."""
    if action == "submit" and not can_file_contract(actor, seller=contract.seller, buyer=contract.buyer):
        raise PermissionDenied(_("只能提交本单位作为一方的技术合同。"))
    ctx = {
        "amount": contract.amount,
        "tech_amount": contract.tech_amount,
        "same_party": contract.seller_id == contract.buyer_id,
    }
    extra = {}
    if action == "refuse":
        extra["note"] = reason
    if action == "register":
        TECH_CONTRACT.check(contract.status, action, actor_roles(actor), obj=contract, ctx=ctx)
        now = timezone.now()
        extra.update(
            number=contract.number or next_number("contract", timezone.localtime(now).year),
            registered_at=now,
            note=reason,
        )
    transition_apply(
        obj=contract,
        machine=TECH_CONTRACT,
        action=action,
        actor=actor,
        roles=actor_roles(actor),
        reason=reason,
        ctx=ctx,
        extra_updates=extra,
    )
    return contract


def contract_initial_from_transfer(transfer) -> dict:
    """What a transfer already recorded on a result says of its contract (the form starts from it)."""
    return {
        "title": _("%(r)s技术合同") % {"r": transfer.result.title},
        "kind": TRANSFER_KIND.get(transfer.kind, "transfer"),
        "seller": transfer.result.contract.unit_id,
        "amount": transfer.amount,
        "tech_amount": transfer.amount,
        "signed_on": transfer.transferred_on,
        "result": transfer.result_id,
        "transfer": transfer.pk,
    }


def as_decimal(value) -> Decimal:
    return Decimal(str(value))


def today() -> datetime.date:
    return timezone.localdate()
