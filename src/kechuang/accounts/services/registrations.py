"""Unconfirmed registrations: the link that confirms a registrant's address mailed again, a registration
withdrawn by staff, and one that lapses once its link's lifetime has passed (docs/security.md §20). Each frees
or keeps the address it holds; every step is audited."""

import zlib
from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.core.audit import audit_record
from kechuang.core.exceptions import InvalidTransition
from kechuang.core.notifications import recipient_language
from kechuang.core.roles import SYSTEM, Role, actor_roles, require_role

from ..links import invitation_lifetime
from ..mail_limit import mail_wait
from ..models import Unit, User, fold_email
from ..selectors import confirmation_expires
from ..workflow import UNIT

NOT_PENDING = gettext_lazy("此注册已确认电子邮箱或已撤回，无需再处理。")

STAFF_ONLY_REGISTRATIONS = gettext_lazy("只有科技厅工作人员可以处理待确认的注册。")

LAPSED_REASON = gettext_lazy("注册人未在确认链接的有效期内确认电子邮箱，注册自动撤回。")

REPLACED_REASON = gettext_lazy("有人用此电子邮箱再次注册，未确认的注册由新的注册取代。")

HELD_REASON = gettext_lazy("发往此电子邮箱的邮件已达时段上限，确认邮件未发出。")

MAIL_HELD = gettext_lazy(
    "确认邮件没有发出：发往此电子邮箱的邮件已达时段上限，请 %(minutes)s 分钟后再重新发送。"
)

ADDRESS_CONFIRMED_MEANWHILE = gettext_lazy(
    "此电子邮箱刚刚已确认给另一次注册，这次注册没有生效，也没有建立账号。"
)

REGISTRATION_GONE = gettext_lazy("这次注册已撤回，电子邮箱没有确认。")

# the first key of the two-key advisory locks taken per address (core.auditchain's one-key lock is another space)
ADDRESS_LOCK_SPACE = 28


def address_lock(email: str) -> None:
    """Hold the address (any letter case) until the current transaction ends: every confirmation of a
    registration, pending or kept apart, takes it before reading what it confirms (docs/security.md §32). Two
    links of one address pressed at one instant then run one after the other, and the second reads what the
    first committed (its registration withdrawn or voided, the address confirmed) and is refused; the rows
    alone could not serialise them — with no pending registration left, two kept-apart ones share no row.
    PostgreSQL: a transaction-level advisory lock on the folded address's CRC-32; SQLite: every transaction
    begins IMMEDIATE (settings.base), so writes are serial already."""
    if connection.vendor != "postgresql":
        return
    key = zlib.crc32(fold_email(email).encode()) - 2**31  # a signed 32-bit key
    with connection.cursor() as cursor:
        # each value in brackets: Django binds them into the text, and `-2147483648::integer` (an empty address's
        # key: CRC-32 0) reads as -(2147483648::integer), out of range, where (-2147483648)::integer is the least
        cursor.execute(
            "SELECT pg_advisory_xact_lock((%s)::integer, (%s)::integer)", [ADDRESS_LOCK_SPACE, key]
        )


def awaits_address(user: User) -> bool:
    """A registrant who has not yet confirmed the address the registration holds (and never signed in)."""
    return bool(user.email) and user.email_unconfirmed and user.last_login is None and not user.is_active


def gone_words(email: str, otherwise):
    """Why a confirmation found its registration gone once it held the address (`address_lock`): the address
    was confirmed for another of its registrations meanwhile, or else `otherwise` (withdrawn, voided)."""
    confirmed = User.objects.filter(email_key=fold_email(email), email_unconfirmed=False).exists()
    return ADDRESS_CONFIRMED_MEANWHILE if confirmed else otherwise


def registration_lapsed(user: User, now=None) -> bool:
    """An unconfirmed registration whose link's lifetime (KECHUANG_INVITATION_HOURS) has passed: its address
    is free for a new registration (`registrations_lapse`), and its links confirm nothing any more."""
    return awaits_address(user) and confirmation_expires(user) <= (now or timezone.now())


def registration_mail_held(*, obj, wait: int, actor=SYSTEM) -> None:
    """The confirmation link of a registration (`obj`: an unconfirmed account or a kept-apart registration)
    was not mailed: its address had had its share of mail this window (mail_limit, §22). Staff's page says so
    and resends it; the registrant's page said so. Audited `user.registration_mail_held` by `actor` (the
    system at the registration, the staff member at a resend)."""
    audit_record(
        actor=actor,
        action="user.registration_mail_held",
        obj=obj,
        after={"email": obj.email, "retry_after": wait},
        reason=str(HELD_REASON),
    )


def link_resend(*, actor, obj, sent_field: str, action: str, mail: Callable[[], None]) -> int | None:
    """Staff's resend of a registration's link, the row (`obj`: an unconfirmed account or a kept-apart
    registration) locked and checked by the caller: **within the address's mail limit** (§22) — the address's
    owner asked for no more mail because staff pressed. Past it nothing is sent or changed, audited
    `user.registration_mail_held` by the staff member, and the seconds to wait are returned. Else `sent_field`
    is now, audited `action` (its value before and after, the address) and `mail()` queues the e-mail: None."""
    wait = mail_wait(obj.email, why=action)
    if wait is not None:
        registration_mail_held(obj=obj, wait=wait, actor=actor)
        return wait
    before = getattr(obj, sent_field)
    setattr(obj, sent_field, timezone.now())
    obj.save(update_fields=[sent_field])
    audit_record(
        actor=actor,
        action=action,
        obj=obj,
        before={sent_field: before},
        after={sent_field: getattr(obj, sent_field), "email": obj.email},
    )
    mail()
    return None


def _locked(user: User) -> User:
    # FOR UPDATE OF the person's row only: PostgreSQL refuses it on the nullable side of the unit's outer join
    return User.objects.select_for_update(of=("self",)).select_related("unit").get(pk=user.pk)


def _mail_link(user: User, base_url: str) -> None:
    from .units import registration_address_link

    with translation.override(recipient_language(user)):
        subject = _("科创平台：请确认注册所用的电子邮箱")
        body = _(
            "您好：\n\n"
            "单位“%(unit)s”在科创平台的注册用了此电子邮箱（%(email)s），注册人姓名“%(name)s”，尚未确认。"
            "科技厅重新发送了确认链接。\n\n"
            "如果是您注册的：请打开以下链接，输入注册时设置的密码，确认此电子邮箱是您的"
            "（%(hours)s内有效）：%(confirm)s\n\n"
            "如果您没有注册“%(unit)s”：请忽略本邮件，不要确认。未经确认，这次注册不能用您的电子邮箱登录，"
            "到期后自动撤回。\n"
        ) % {
            "name": user.full_name or user.email,
            "unit": user.unit.local_name if user.unit_id else "",
            "email": user.email,
            "hours": invitation_lifetime(),
            "confirm": registration_address_link(user, base_url),
        }
    address = user.email
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address]))


@transaction.atomic
def registration_resend(*, actor, user: User, base_url: str) -> int | None:
    """Staff mail the confirmation link of an unconfirmed registration again (the registrant lost it, or it
    lapsed): a new link, and the registration's lifetime counts from now. Within the address's mail limit, as
    a kept-apart registration's resend (`link_resend`): past it nothing is sent, the lifetime is not renewed,
    and the seconds to wait are returned (else None). Audited `user.registration_resend` or
    `user.registration_mail_held`."""
    require_role(actor, Role.STAFF, message=STAFF_ONLY_REGISTRATIONS)
    user = _locked(user)
    if not awaits_address(user):
        raise InvalidTransition(NOT_PENDING)
    return link_resend(
        actor=actor,
        obj=user,
        sent_field="email_confirm_sent_at",
        action="user.registration_resend",
        mail=lambda: _mail_link(user, base_url),
    )


@transaction.atomic
def registration_withdraw(*, actor, user: User, reason: str = "") -> User:
    """An unconfirmed registration withdrawn (by staff, or by the system once it lapsed): the account's address
    is cleared, so it is free for a new registration or an account, and the account can never sign in (no
    address, no usable password; it is kept, inactive, for the audit trail). Its unit, if still waiting for
    verification with no other registrant holding an address, is sent back (`unit.reject`, the reason given),
    made inactive and its name (marked 注册已撤回) and credit code freed, so the unit can register again. Audited `user.registration_withdraw`."""
    require_role(actor, Role.STAFF, message=STAFF_ONLY_REGISTRATIONS)
    user = _locked(user)
    if not awaits_address(user):
        raise InvalidTransition(NOT_PENDING)
    address = user.email
    user.email = ""
    user.set_unusable_password()
    user.email_confirm_sent_at = None
    user.save(update_fields=["email", "password", "email_confirm_sent_at"])
    audit_record(
        actor=actor,
        action="user.registration_withdraw",
        obj=user,
        before={"email": address},
        after={"email": ""},
        reason=reason,
    )
    unit = user.unit
    if unit is not None and unit.status == Unit.Status.PENDING:
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        others = unit.users.exclude(pk=user.pk).exclude(email="").exists()
        if unit.status == Unit.Status.PENDING and not others:
            t = UNIT.check(unit.status, "reject", actor_roles(actor), obj=unit, ctx={"reason": "—"})
            before = {"status": unit.status, "name": unit.name, "credit_code": unit.credit_code}
            # the short and English names too (§35): check_names reads every unit's, so a withdrawn
            # registration's would refuse them to the unit registering again, and to everyone else, for good
            freed = {f: getattr(unit, f) for f in ("short_name", "name_en") if getattr(unit, f)}
            before |= freed
            unit.status, unit.rejection_reason = t.target, reason or str(LAPSED_REASON)
            # the names and the credit code are the unit's to register again: kept in the trail, freed here
            suffix = _("（注册已撤回·%(pk)s）") % {"pk": unit.pk}
            unit.name = unit.name[: Unit._meta.get_field("name").max_length - len(suffix)] + suffix
            unit.credit_code, unit.short_name, unit.name_en, unit.is_active = "", "", "", False
            unit.save(
                update_fields=[
                    "status",
                    "rejection_reason",
                    "name",
                    "credit_code",
                    "short_name",
                    "name_en",
                    "is_active",
                    "updated_at",
                ]
            )
            audit_record(
                actor=actor,
                action="unit.reject",
                obj=unit,
                before=before,
                after={"status": unit.status, "name": unit.name, "credit_code": ""}
                | dict.fromkeys(freed, ""),
                reason=unit.rejection_reason,
            )
    return user


def names_held(*, name: str = "", credit_code: str = "", short_name: str = "", name_en: str = "") -> Q:
    """The units a registration's unit with these values would be refused beside: the same name or credit code
    (unique), or a short or English name `check_names` refuses (§27) — as the form and the service read them
    (the name and the short name trimmed, the credit code in capitals, the English name's spaces as one)."""
    which = Q()
    if name.strip():
        which |= Q(name=name.strip())
    if credit_code.strip():
        which |= Q(credit_code=credit_code.strip().upper())
    if short_name.strip():
        which |= Q(name__iexact=short_name.strip()) | Q(short_name__iexact=short_name.strip())
    if " ".join(name_en.split()):
        which |= Q(name_en__iexact=" ".join(name_en.split()))
    return which


def name_holders(**names):
    """The registrations not yet confirmed (lapsed or not) whose unit, still waiting for staff, has one of
    `names` (`names_held`). Withdrawn, each frees them (`registration_withdraw`: unless another registrant of
    the unit holds an address), which is what sets them aside for a registration's check (`names_set_aside`)."""
    which = names_held(**names)
    if not which:
        return User.objects.none()
    units = Unit.objects.filter(which, status=Unit.Status.PENDING)
    return (
        User.objects.filter(unit__in=units, email_unconfirmed=True, last_login=None, is_active=False)
        .exclude(email="")
        .select_related("unit")
    )


def names_set_aside(**names) -> int:
    """Withdraw, as the system, every unconfirmed registration holding one of `names` (`name_holders`) — only
    ever inside a savepoint that is rolled back: a registration posted is checked with them set aside, so the
    page answers the same whoever's address it names (docs/security.md §35: a name held by a pending
    registration refused every address but its registrant's). The number set aside."""
    n = 0
    for holder in name_holders(**names):
        if awaits_address(holder):
            with transaction.atomic():
                registration_withdraw(actor=SYSTEM, user=holder, reason=str(REPLACED_REASON))
            n += 1
    return n


def registrations_lapse(
    *,
    email: str = "",
    unit_name: str = "",
    credit_code: str = "",
    short_name: str = "",
    name_en: str = "",
    claims: bool = True,
) -> int:
    """Withdraw, as the system, the lapsed registrations that hold `email` (any letter case), or whose unit
    has `unit_name`, `credit_code`, or a short or English name such a unit would be refused beside
    (`names_held`): called before a registration is checked, so registering the address or the unit again
    works once the first link has expired (docs/security.md §20); with `claims`, the kept-apart registrations
    whose link lapsed are swept first (`claims_lapse`; not by a confirmation holding its own claim's row). The
    number withdrawn."""
    from .claims import claims_lapse

    if claims:
        claims_lapse()  # registrations kept apart whose link's lifetime passed (§28)
    which = Q()
    if fold_email(email):
        which |= Q(email_key=fold_email(email))
    held = names_held(name=unit_name, credit_code=credit_code, short_name=short_name, name_en=name_en)
    if held:
        which |= Q(unit__in=Unit.objects.filter(held, status=Unit.Status.PENDING))
    if not which:
        return 0
    n = 0
    holders = User.objects.filter(which, email_unconfirmed=True, last_login=None, is_active=False)
    for holder in holders.exclude(email="").select_related("unit"):
        if registration_lapsed(holder):
            with transaction.atomic():
                registration_withdraw(actor=SYSTEM, user=holder, reason=str(LAPSED_REASON))
            n += 1
    return n


def registrations_replace(*, email: str) -> int:
    """Withdraw, as the system, the unconfirmed registrations that hold `email` (any letter case), lapsed or
    not. Since §28 only ever inside a savepoint that is rolled back: a registration posted with the address is
    checked with them set aside (a unit name or credit code they hold is then no refusal) and then kept apart
    (`claims.registration_claim`); nothing a post does replaces them. What follows is §24's reasoning, which
    still holds for the registration the address's owner confirms (`registration_claim_confirm`). Whoever registered first
    never proved the address theirs, so their registration — its password, its unit — must not be what a link
    mailed to the address confirms: the address's owner registering would otherwise be sent a link confirming
    a stranger's registration (a pre-account takeover). Withdrawn, their links are dead (the address they
    name is no longer the account's), their unit's name and credit code are freed, and each is audited
    `user.registration_withdraw` with the reason. An address held by an account that has confirmed it is left
    alone (the "known address" e-mail, §14). The number withdrawn."""
    if not fold_email(email):
        return 0
    n = 0
    holders = User.objects.filter(email_key=fold_email(email), email_unconfirmed=True, last_login=None)
    for holder in holders.filter(is_active=False).exclude(email="").select_related("unit"):
        with transaction.atomic():
            registration_withdraw(actor=SYSTEM, user=holder, reason=str(REPLACED_REASON))
        n += 1
    return n
