"""A second registration for an address another registration holds unconfirmed (docs/security.md §28).

Until session 23 a valid registration replaced any unconfirmed one holding its address (§24): the address's
owner registering after a stranger got a link confirming what she typed, not the stranger's registration —
but a stranger registering after her ended hers (her link dead, her unit sent back). Now neither replaces the
other when it is posted: the later one is kept apart (`RegistrationClaim`: no unit, no account, the password
hashed) and mailed its own link. The mailbox proves the address, the password the registration (§25): the
registration whose link is pressed with its own password takes the address, and every other registration
for it — the one that held it, the other claims — is withdrawn then (as the system, audited). The poster is
told nothing: the page is the one every registration gets."""

import datetime

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from kechuang.core.audit import audit_record
from kechuang.core.exceptions import ApplicationError, InvalidTransition
from kechuang.core.roles import SYSTEM, Role, require_role

from .. import selectors
from ..links import absolute_link, invitation_lifetime
from ..mail_limit import mail_wait
from ..models import RegistrationClaim, User, fold_email
from .registrations import (
    MAIL_HELD,
    address_lock,
    awaits_address,
    gone_words,
    link_resend,
    name_holders,
    names_set_aside,
    registration_lapsed,
    registration_withdraw,
    registrations_lapse,
    registrations_replace,
)

CLAIMED_REASON = gettext_lazy("此电子邮箱的主人确认了用它提交的另一次注册，这次注册撤回。")

OUTDONE_REASON = gettext_lazy("此电子邮箱已确认给另一次注册，这次未确认的注册作废。")

CLAIM_GONE = gettext_lazy("这次注册已作废或已确认，无需再确认。")


def registration_pending(email: str) -> bool:
    """Whether a registration not yet confirmed (and not lapsed) holds `email` (any letter case)."""
    if not fold_email(email):
        return False
    holders = User.objects.filter(email_key=fold_email(email), email_unconfirmed=True, last_login=None)
    return any(awaits_address(u) and not registration_lapsed(u) for u in holders.filter(is_active=False))


def _holders(email_key: str):
    # locked, and so read as committed (PostgreSQL re-reads a row it waited for): a registration staff withdrew
    # meanwhile no longer holds the address and is left out, not withdrawn twice (which refuses)
    users = User.objects.select_for_update(of=("self",)).filter(
        email_key=email_key, email_unconfirmed=True, last_login=None, is_active=False
    )
    return [u for u in users.exclude(email="").select_related("unit") if awaits_address(u)]


def claim_token(claim: RegistrationClaim) -> str:
    from .units import ADDRESS_SALT

    return signing.dumps({"c": claim.pk, "e": claim.email.casefold()}, salt=ADDRESS_SALT)


def claim_for_token(token: str) -> RegistrationClaim | None:
    """The kept-apart registration a confirmation link names, or None (forged, expired, confirmed, outdone)."""
    from .units import ADDRESS_SALT

    try:
        data = signing.loads(token, salt=ADDRESS_SALT, max_age=settings.KECHUANG_INVITATION_TIMEOUT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("c"), int):
        return None
    claim = RegistrationClaim.objects.filter(pk=data["c"]).first()
    if claim is None or claim.email.casefold() != data.get("e") or claim_lapsed(claim):
        return None
    return claim


def claim_lapsed(claim: RegistrationClaim, now=None) -> bool:
    lifetime = datetime.timedelta(seconds=settings.KECHUANG_INVITATION_TIMEOUT)
    return claim.created_at + lifetime <= (now or timezone.now())


LAPSED_CLAIM_REASON = gettext_lazy("这次注册未在确认链接的有效期内确认，自动作废。")


def claims_lapse() -> int:
    """Delete the kept-apart registrations whose link's lifetime has passed (they hold a password's hash), each
    audited `user.registration_claim_lapse` by the system (the address, the unit's name) as its other ends are
    (§32). The number deleted."""
    lifetime = datetime.timedelta(seconds=settings.KECHUANG_INVITATION_TIMEOUT)
    n = 0
    lapsed = RegistrationClaim.objects.filter(created_at__lte=timezone.now() - lifetime)
    with transaction.atomic():
        # one a staff step holds is left to it (PostgreSQL): it is gone or swept by the next registration
        for claim in lapsed.select_for_update(skip_locked=True):
            _claim_delete(
                claim, actor=SYSTEM, action="user.registration_claim_lapse", reason=str(LAPSED_CLAIM_REASON)
            )
            n += 1
    return n


def claims_drop(*, email_key: str, keep: int | None = None) -> int:
    """The address was confirmed for one registration: every other kept apart for it is void (audited)."""
    n = 0
    for claim in RegistrationClaim.objects.filter(email_key=email_key).exclude(pk=keep):
        _claim_delete(claim, actor=SYSTEM, action="user.registration_claim_void", reason=str(OUTDONE_REASON))
        n += 1
    return n


def _claim_delete(claim: RegistrationClaim, *, actor, action: str, reason: str, **before) -> None:
    """A kept-apart registration ended (lapsed, outdone, voided by staff): audited with its address and unit's
    name (and what else `before` gives), then deleted."""
    audit_record(
        actor=actor,
        action=action,
        obj=claim,
        before={"email": claim.email, "unit": claim.unit_fields.get("name", ""), **before},
        reason=reason,
    )
    claim.delete()


@transaction.atomic
def _names(fields: dict) -> dict:
    """The unit's names and credit code of a registration's fields, as `names_held` takes them."""
    return {
        "name": fields.get("name") or "",
        "credit_code": fields.get("credit_code") or "",
        "short_name": fields.get("short_name") or "",
        "name_en": fields.get("name_en") or "",
    }


def names_held_by_others(claim: RegistrationClaim):
    """The registrations of other addresses, not yet confirmed, whose unit holds a name or the credit code
    `claim`'s unit gives (`name_holders`; lapsed ones left out): until they are withdrawn or lapse, the claim
    cannot be confirmed (docs/security.md §35)."""
    return [
        u
        for u in name_holders(**_names(claim.unit_fields)).exclude(email_key=claim.email_key)
        if awaits_address(u) and not registration_lapsed(u)
    ]


@transaction.atomic
def registration_claim(
    *,
    unit_fields: dict,
    full_name: str,
    email: str,
    phone: str,
    base_url: str,
    password: str = "",
    password_hash: str = "",
) -> RegistrationClaim:
    """A registration posted with an address an unconfirmed registration holds, or naming a unit (its name,
    credit code, short or English name) that only unconfirmed registrations hold (§35): checked as any
    registration (made with those registrations set aside — so a unit name or credit code one of them holds
    is no refusal — then undone), and kept apart with the password's hash; the link to confirm it is mailed
    to the address, the same e-mail a registration sends (saying, when another address's registration holds
    its unit's names, that it confirms only once that one is gone). The registrations set aside are left as
    they were. Audited `user.registration_claim` (the address and the unit's name). The claim returned has
    `confirmation_held` as `unit_register`'s user has (the mail limit, §22). `password_hash`: hashed by the
    caller before any lock (§35); else `password` is hashed here, under the locks."""
    from .units import unit_names_lock, unit_register

    address_lock(email)  # first, as every registration and confirmation of the address takes it (§32)
    unit_names_lock()  # then the units' names, before the holders' withdrawal audits (§33)
    checked = transaction.savepoint()
    try:
        registrations_replace(email=email)
        names_set_aside(**_names(unit_fields))
        name = unit_fields.get("name", "")
        _unit, user = unit_register(
            unit_fields=unit_fields,
            full_name=full_name,
            email=email,
            phone=phone,
            password=password,
            password_hash=password_hash,
            unit=selectors.unit_awaiting_registration(name),
        )
        hashed = user.password  # hashed once, as any registration
    finally:
        transaction.savepoint_rollback(checked)
    fields = {k: (v.pk if hasattr(v, "pk") else v) for k, v in unit_fields.items()}
    held = mail_wait(email, why="registration") if base_url else None
    claim = RegistrationClaim.objects.create(
        email=email,
        full_name=full_name,
        phone=phone,
        password=hashed,
        unit_fields=fields,
        sent_at=timezone.now() if base_url and held is None else None,
    )
    claim.confirmation_held = held
    audit_record(
        actor=SYSTEM,
        action="user.registration_claim",
        obj=claim,
        after={"email": email, "unit": name, "mailed": held is None},
    )
    if base_url and held is None:
        claim_mail(claim, base_url)
    return claim


def registration_claim_confirm(*, claim: RegistrationClaim, password: str, request=None) -> User:
    """The link of a kept-apart registration pressed with its password: this registration takes the address.
    Every other registration for it not confirmed is withdrawn (the one holding it: `user.registration_withdraw`
    by the system, its unit sent back and its name freed; other claims void), and the unit and account are made
    as the registration would have been, the address confirmed (`unit.register`, `user.email_confirm`). A
    wrong password changes nothing, is audited `user.email_confirm_refused` on the claim and counts for axes
    against the address, as on a registration's own link (§25). Two links of the address pressed at one
    instant run one after the other (`address_lock`): the second finds its registration gone and is refused
    with why (ApplicationError `gone`), so one account holds the address (§32)."""
    from .units import WRONG_REGISTRATION_PASSWORD

    if not check_password(password or "", claim.password):
        from .units import confirm_refused

        confirm_refused(obj=claim, email=claim.email, username=claim.email, request=request)
        raise ApplicationError(
            WRONG_REGISTRATION_PASSWORD % {"unit": claim.unit_fields.get("name", "")}, code="wrong_password"
        )
    return _claim_confirmed(claim, password)


@transaction.atomic
def _claim_confirmed(claim: RegistrationClaim, password: str) -> User:
    from .units import email_confirmed, unit_names_lock, unit_register

    # the address first, then the rows, as the pending registration's confirmation takes them: whichever of
    # two links pressed at once holds it second reads what the first committed (this claim voided, §32)
    address_lock(claim.email)
    # then the units' names, before the holder's withdrawal audits (§33): the unit's name checked under it
    unit_names_lock()
    email = claim.email
    claim = RegistrationClaim.objects.select_for_update().filter(pk=claim.pk).first()
    if claim is None:
        raise ApplicationError(gone_words(email, CLAIM_GONE), code="gone")
    for holder in _holders(claim.email_key):
        registration_withdraw(actor=SYSTEM, user=holder, reason=str(CLAIMED_REASON))
    fields = dict(claim.unit_fields)
    # another address's registration holding the unit's names whose link lapsed holds them no longer (§20)
    names = _names(fields)
    registrations_lapse(
        unit_name=names["name"],
        credit_code=names["credit_code"],
        short_name=names["short_name"],
        name_en=names["name_en"],
        claims=False,
    )
    try:
        unit, user = unit_register(
            unit_fields=fields,
            full_name=claim.full_name,
            email=claim.email,
            phone=claim.phone,
            password_hash=claim.password,  # checked against it above; never hashed under the locks (§35)
            address_confirmed=True,
            unit=selectors.unit_awaiting_registration(fields.get("name", "")),
        )
    except ValidationError as exc:  # rolled back whole, the holder's withdrawal too
        raise _unit_taken(exc, claim) or exc
    email_confirmed(user)
    claims_drop(email_key=claim.email_key, keep=claim.pk)
    claim.delete()  # it is the account now
    return user


CLAIM_NAME_TAKEN = gettext_lazy(
    "单位名称“%(unit)s”已是另一个单位的名称（这次注册保存之后有单位用了它）：这次注册没有生效，也没有建立账号。"
    "请核对单位名称后，用此电子邮箱重新提交注册。"
)

CLAIM_CODE_TAKEN = gettext_lazy(
    "统一社会信用代码 %(code)s 已是另一个单位的（这次注册保存之后有单位用了它）：这次注册没有生效，也没有建立账号。"
    "请核对后，用此电子邮箱重新提交注册。"
)


CLAIM_NAME_HELD = gettext_lazy(
    "单位“%(unit)s”的名称、简称、英文名称或统一社会信用代码，仍由另一次尚未确认电子邮箱的注册使用："
    "这次注册没有生效，也没有建立账号，此链接仍可使用。那次注册撤回或到期后，请在此链接的有效期内再确认；"
    "如有疑问，请联系科技厅工作人员。"
)


def _unit_taken(exc: ValidationError, claim: RegistrationClaim) -> ApplicationError | None:
    """The words for a kept-apart registration whose unit's names another address's registration still holds,
    not yet confirmed (§35: kept apart so the page said nothing of it), or whose name or credit code another
    unit took after it was kept (it holds no unit, so both stay free until its link is pressed,
    docs/security.md §33); None for any other refusal."""
    from ..models import Unit

    fields = claim.unit_fields
    if names_held_by_others(claim):
        return ApplicationError(CLAIM_NAME_HELD % {"unit": fields.get("name", "")}, code="unit_held")
    errors = getattr(exc, "error_dict", {})
    name, code = fields.get("name", ""), (fields.get("credit_code") or "").strip().upper()
    if "name" in errors and Unit.objects.filter(name=name).exists():
        return ApplicationError(CLAIM_NAME_TAKEN % {"unit": name}, code="unit_taken")
    if code and Unit.objects.filter(credit_code=code).exists():
        return ApplicationError(CLAIM_CODE_TAKEN % {"code": code}, code="unit_taken")
    return None


CLAIM_LAPSED = gettext_lazy("这次注册的确认链接已过期，不能重新发送；注册人可用此电子邮箱重新提交注册。")

CLAIM_MAIL_HELD = MAIL_HELD  # the words of both resends (registrations.link_resend)

STAFF_ONLY_CLAIMS = gettext_lazy("只有科技厅工作人员可以处理另行保存的注册。")


def _claim_locked(claim: RegistrationClaim) -> RegistrationClaim:
    locked = RegistrationClaim.objects.select_for_update().filter(pk=claim.pk).first()
    if locked is None:
        raise InvalidTransition(CLAIM_GONE)
    return locked


CLAIM_HELD_MAIL = gettext_lazy(
    "请注意：单位“%(unit)s”的名称、简称、英文名称或统一社会信用代码，目前由另一次尚未确认电子邮箱的注册使用。"
    "这次注册已保存，但在那次注册撤回或到期之前不能确认；之后请在有效期内打开上面的链接确认。"
    "如果“%(unit)s”是您的单位而您不知道那次注册，请联系科技厅工作人员。\n"
)


def claim_mail(claim: RegistrationClaim, base_url: str) -> None:
    """Mail a kept-apart registration's link (on commit): the e-mail every registration sends."""
    from .units import registration_mail_words

    subject, body = registration_mail_words(
        name=claim.full_name,
        unit=claim.unit_fields.get("name", ""),
        email=claim.email,
        confirm=absolute_link(base_url, "accounts:register-confirm", claim_token(claim)),
        login=absolute_link(base_url, "accounts:login"),
        hours=invitation_lifetime(),
    )
    if names_held_by_others(claim):  # its owner is told what the page did not say (§35)
        body += "\n" + CLAIM_HELD_MAIL % {"unit": claim.unit_fields.get("name", "")}
    address = claim.email
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address]))


@transaction.atomic
def registration_claim_resend(*, actor, claim: RegistrationClaim, base_url: str) -> int | None:
    """Staff mail a kept-apart registration's link again (its first mail was held back by the per-address
    limit, §22, or lost). The limit holds for staff too — the address's owner did not ask for more mail than
    any registration sends: past it nothing is sent, audited `user.registration_mail_held` on the claim, and
    the seconds to wait are returned (else None). The link lives as long as the registration (its lifetime
    counts from when it was posted, not renewed: a lapsed one is refused). Audited
    `user.registration_claim_resend`."""
    require_role(actor, Role.STAFF, message=STAFF_ONLY_CLAIMS)
    claim = _claim_locked(claim)
    if claim_lapsed(claim):
        raise InvalidTransition(CLAIM_LAPSED)
    return link_resend(
        actor=actor,
        obj=claim,
        sent_field="sent_at",
        action="user.registration_claim_resend",
        mail=lambda: claim_mail(claim, base_url),
    )


@transaction.atomic
def registration_claim_withdraw(*, actor, claim: RegistrationClaim, reason: str = "") -> None:
    """Staff void a kept-apart registration (not the registrant's, or sent by mistake): it is deleted — its
    link confirms nothing any more, its password's hash is gone — and cannot be brought back (the registrant
    registers again). The registration holding the address is untouched. Audited
    `user.registration_claim_withdraw` with the address, the unit's name and the reason."""
    require_role(actor, Role.STAFF, message=STAFF_ONLY_CLAIMS)
    claim = _claim_locked(claim)
    _claim_delete(
        claim,
        actor=actor,
        action="user.registration_claim_withdraw",
        reason=reason,
        full_name=claim.full_name,
    )
