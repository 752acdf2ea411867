"""Units: creating and editing them, registration and verification."""

import re
import unicodedata

from django.conf import settings
from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from kechuang.core.audit import audit_record, diff, snapshot
from kechuang.core.exceptions import ApplicationError, InvalidTransition, PermissionDenied
from kechuang.core.messages import Message
from kechuang.core.notifications import mail_subject, notify, recipient_language
from kechuang.core.roles import SYSTEM, Role, actor_roles, person

from .. import permissions
from ..links import absolute_link, invitation_lifetime
from ..mail_limit import mail_wait
from ..models import Unit, User, fold_email
from ..workflow import UNIT
from .people import username_for_email

# Once a unit is verified, these change only through a change request that staff approve: eligibility,
# conflict-of-interest rules and the endorsement chain read them; the names are what other units, pickers,
# the open data and the ingest of reports (its short name links mentions, docs/security.md §27) know it by.
VERIFIED_FIELDS = (
    "name",
    "name_en",
    "short_name",
    "kind",
    "credit_code",
    "province",
    "city",
    "region_code",
    "parent",
    "endorser",
)


# A unit user keeps these up to date without asking.
FREE_FIELDS = ("address", "contact_name", "contact_phone", "contact_email")


UNIT_FIELDS = VERIFIED_FIELDS + FREE_FIELDS


FK_FIELDS = ("parent", "endorser")


CHANGE_NEEDS_REQUEST = gettext_lazy(
    "已核验单位的名称、英文名称、简称、类型、统一社会信用代码、地区、上级单位和推荐单位须提交变更申请，"
    "由科技厅审核。"
)


SHORT_NAME_TOO_SHORT = gettext_lazy("简称至少要有2个字，或者留空。")


SHORT_NAME_GENERIC = gettext_lazy(
    "“%(short)s”是泛指的机关称谓，不能作为单位简称：报告中的这个称谓说不出是哪个单位。"
    "请填写本单位特有的简称，或者留空。"
)


SHORT_NAME_TAKEN = gettext_lazy("“%(short)s”已是另一个单位的名称或简称，不能作为本单位的简称。")


NAME_EN_TAKEN = gettext_lazy("英文名称“%(name)s”已是另一个单位的英文名称。")


# A title that names a kind of department, not one: 省科技厅, 科技厅, 市科技局, 县科学技术局, 省政府, 人民政府 ...
_GENERIC_SHORT = re.compile(
    r"(?:本|我|该|贵)?(?:省|市|县|区|州|盟|旗|自治区|地区|国家)?"
    r"(?:(?:科学技术|科技)(?:厅|局|部|委|委员会|部门)?|(?:人民)?政府|主管部门|推荐单位|单位)"
)


# the space of the one two-key advisory lock taken by every write of a unit's names (registrations' address
# locks are space 28, core.auditchain's one-key lock is another kind)
UNIT_NAMES_LOCK_SPACE = 29


def unit_names_lock() -> None:
    """Hold the units' names and credit codes until the current transaction ends: every step that makes a unit
    or may change its name, short or English name or credit code takes it before it reads any of them
    (docs/security.md §33). The name and the credit code are unique in the database, the short and English
    names only by `check_names`: without a lock two such steps at one instant both read a name free, and the
    second write ended in the database's error (a 500) or, for a short or English name, went through. With it
    the second waits and reads the first's unit, refused with the field's words. One lock for all names, not
    one per name: a step may write many units (the import), and many locks taken in turn by steps holding the
    audit chain's could deadlock. Taken after an address's lock (registrations) and before any row or the
    audit chain's lock. PostgreSQL: a transaction-level advisory lock; SQLite begins every transaction
    IMMEDIATE (settings.base): writes are serial already."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s::integer, 0)", [UNIT_NAMES_LOCK_SPACE])


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split()).casefold()


def short_name_problem(unit: Unit, short_name: str, *, by_staff: bool):
    """Why `short_name` cannot be `unit`'s short name, or None. The ingest links every mention of a unit's
    name or short name in a report to the unit (ingest.services.registry_snapshot), and pickers find units
    by it: a short name must name this unit alone. Refused: one character; a generic title (省科技厅,
    市科技局, 人民政府 ...), except from staff, who may give one to the department it names; another unit's
    name or short name. Checked only where the short name changes (older values are kept)."""
    short = _fold(short_name)
    if not short:
        return None
    if len(short) < 2:
        return SHORT_NAME_TOO_SHORT
    if not by_staff and _GENERIC_SHORT.fullmatch(short):
        return SHORT_NAME_GENERIC % {"short": short_name.strip()}
    others = Unit.objects.exclude(pk=unit.pk) if unit.pk else Unit.objects.all()
    if others.filter(Q(name__iexact=short_name.strip()) | Q(short_name__iexact=short_name.strip())).exists():
        return SHORT_NAME_TAKEN % {"short": short_name.strip()}
    return None


def name_en_problem(unit: Unit, name_en: str):
    """Why `name_en` cannot be `unit`'s English name (another unit's), or None."""
    name = " ".join((name_en or "").split())
    if not name:
        return None
    others = Unit.objects.exclude(pk=unit.pk) if unit.pk else Unit.objects.all()
    if others.filter(name_en__iexact=name).exists():
        return NAME_EN_TAKEN % {"name": name}
    return None


def check_names(unit: Unit, fields: dict, *, by_staff: bool) -> None:
    """Refuse (ValidationError on the field) a short or English name in `fields` that differs from the unit's
    and is not its own (short_name_problem, name_en_problem)."""
    errors = {}
    if "short_name" in fields and (fields["short_name"] or "") != (unit.short_name if unit.pk else ""):
        problem = short_name_problem(unit, fields["short_name"] or "", by_staff=by_staff)
        if problem is not None:
            errors["short_name"] = str(problem)
    if "name_en" in fields and (fields["name_en"] or "") != (unit.name_en if unit.pk else ""):
        problem = name_en_problem(unit, fields["name_en"] or "")
        if problem is not None:
            errors["name_en"] = str(problem)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def unit_create(*, actor, **fields) -> Unit:
    """Create a validated unit and audit it. A unit staff create is verified by them."""
    unit_names_lock()  # its names checked and written under it (§33)
    unit = Unit(is_active=fields.get("is_active", True))
    check_names(unit, fields, by_staff=permissions.is_staff_member(actor))
    for name, value in fields.items():
        if name in UNIT_FIELDS:
            _set_field(unit, name, value)
    if permissions.is_staff_member(actor):
        unit.verified_at, unit.verified_by = timezone.now(), person(actor)
    unit.full_clean()
    unit.save()
    audit_record(actor=actor, action="unit.create", obj=unit, after=snapshot(unit))
    return unit


@transaction.atomic
def unit_propose(*, actor, name: str) -> Unit:
    """A unit not in the library, named by a person where they choose a unit (an expert's past unit): added
    waiting for staff verification (kind 其他, nothing else known), as a unit that registers itself waits, and
    staff are told. A unit of that exact name already stored (even one not offered) is that unit."""
    name = " ".join((name or "").split())
    unit_names_lock()  # a unit of this name made meanwhile (a registration) is found, not made twice (§33)
    found = Unit.objects.filter(name=name).first()
    if found is not None:
        return found
    limit = int(getattr(settings, "KECHUANG_UNITS_ADDED_WAITING_MAX", 0))
    if limit and not permissions.is_staff_member(actor):
        waiting = units_added_waiting(actor)
        if waiting >= limit:  # each is offered in every picker and told to every staff member (§22)
            raise ApplicationError(
                _(
                    "您添加的单位已有 %(n)d 个在等待科技厅核验，核验之后才能再添加新单位。"
                    "请从下拉列表中选择已有的单位，或联系科技厅工作人员。"
                )
                % {"n": waiting},
                code="too_many_units_waiting",
            )
    unit = Unit(name=name, kind=Unit.Kind.OTHER, status=Unit.Status.PENDING, is_active=True)
    unit.full_clean()
    unit.save()
    audit_record(
        actor=actor, action="unit.propose", obj=unit, after=snapshot(unit, ["name", "kind", "status"])
    )
    notify(
        recipients=User.objects.filter(is_active=True, groups__name=Role.STAFF).distinct(),
        title=Message(
            gettext_noop("新单位待核验：%(unit)s（%(who)s添加）"), unit=unit.both_names, who=str(actor)
        ),
        url=unit.get_absolute_url(),
        kind="accounts.unit_register",
        email=False,
    )
    return unit


def units_added_waiting(actor) -> int:
    """How many units `actor` added (unit_propose) are still waiting for staff, with no account at them."""
    from kechuang.core.models import AuditEvent

    if person(actor) is None:
        return 0
    ids = [
        int(pk)
        for pk in AuditEvent.objects.filter(action="unit.propose", actor=person(actor)).values_list(
            "object_id", flat=True
        )
        if str(pk).isdecimal()
    ]
    return Unit.objects.filter(pk__in=ids, status=Unit.Status.PENDING, users__isnull=True).count()


def _fk_id(value):
    return value.pk if isinstance(value, Unit) else value


def _set_field(unit: Unit, name: str, value) -> None:
    if name in FK_FIELDS and not isinstance(value, Unit | type(None)):
        setattr(unit, f"{name}_id", value)
    else:
        setattr(unit, name, value)


def _current(unit: Unit, name: str):
    return getattr(unit, f"{name}_id") if name in FK_FIELDS else getattr(unit, name)


def verified_changes(unit: Unit, fields: dict) -> dict:
    """The verified fields among `fields` whose value differs from the unit's ({field: new value, FKs as ids})."""
    out = {}
    for name, value in fields.items():
        if name in VERIFIED_FIELDS and _fk_id(value) != _current(unit, name):
            out[name] = _fk_id(value)
    return out


@transaction.atomic
def unit_update(*, actor, unit: Unit, reason: str = "", **fields) -> Unit:
    """Change a unit's profile. Staff change any field of any unit; a unit user changes their own unit's
    free fields, and its verified fields too while the unit is not verified yet. A unit user's change to a
    verified field of a verified unit is refused here: it is a change request (unit_change_request_create)."""
    if not permissions.can_edit_unit(actor, unit):
        raise PermissionDenied(_("您无权修改此单位。"))
    unit_names_lock()  # before the row: its names are checked against the others' committed ones (§33)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if not permissions.is_staff_member(actor) and unit.is_verified and verified_changes(unit, fields):
        raise PermissionDenied(CHANGE_NEEDS_REQUEST, code="change_request_required")
    check_names(unit, fields, by_staff=permissions.is_staff_member(actor))
    before = snapshot(unit)
    changed = []
    for name, value in fields.items():
        if name not in UNIT_FIELDS:
            continue
        _set_field(unit, name, value)
        changed.append(name)
    unit.full_clean()
    if unit.region_code != before.get("region_code") and "region_code" not in changed:
        changed.append("region_code")  # read from the credit code (Unit.clean): saved as the audit says
    if unit.province != before.get("province") and "province" not in changed:
        changed.append("province")  # a name from before the list stored as its code (Unit.clean)
    unit.save(update_fields=[*changed, "updated_at"] if changed else None)
    b, a = diff(before, snapshot(unit))
    if a:
        audit_record(actor=actor, action="unit.update", obj=unit, before=b, after=a, reason=reason)
    return unit


VERIFY_ONLY_PENDING = gettext_lazy("只能核验待核验或未通过核验的单位。")


REJECT_ONLY_PENDING = gettext_lazy("只能退回待核验的单位。")


def email_registered(email: str) -> bool:
    """Whether an account already uses `email` (any letter case). For the registration page's choice only:
    the page answers the same either way (docs/security.md §14)."""
    from .registrations import registration_lapsed

    # a registration whose confirmation link has lapsed holds its address no longer (§20)
    return any(not registration_lapsed(u) for u in User.objects.filter(email_key=fold_email(email)))


ADDRESS_SALT = "kechuang.accounts.registration-address"


def _awaits_address(user: User) -> bool:
    """A registrant who has not yet opened the link mailed to their address (and so never signed in)."""
    return user.email_unconfirmed and user.last_login is None


def _awaits_unit(user: User) -> bool:
    """A registrant whose address is confirmed, waiting for staff to verify the unit (never signed in)."""
    return (
        not user.is_active
        and not user.email_unconfirmed
        and user.last_login is None
        and user.unit_id is not None
        and user.unit.status == Unit.Status.PENDING
    )


def registration_address_token(user: User) -> str:
    """The signed token of the link that confirms a registrant's address: the account and the address it was
    mailed to, so a link stops working once the address changes. Works KECHUANG_INVITATION_HOURS."""
    return signing.dumps({"u": user.pk, "e": user.email.casefold()}, salt=ADDRESS_SALT)


def registration_address_link(user: User, base_url: str) -> str:
    return absolute_link(base_url, "accounts:register-confirm", registration_address_token(user))


def registrant_for_token(token: str) -> User | None:
    """The registrant a confirmation link names, or None when the link is forged, expired, or for an address
    the account no longer has, or the account has signed in (it was confirmed, or never needed to be)."""
    try:
        data = signing.loads(token, salt=ADDRESS_SALT, max_age=settings.KECHUANG_INVITATION_TIMEOUT)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    if not isinstance(data, dict):
        return None
    user = User.objects.select_related("unit").filter(pk=data.get("u")).first()
    if user is None or user.email.casefold() != data.get("e") or user.last_login is not None:
        return None
    from .registrations import registration_lapsed

    if registration_lapsed(user):  # a link mailed before staff resent it ends with the registration (§20)
        return None
    return user


WRONG_REGISTRATION_PASSWORD = gettext_lazy(
    "密码与这次注册设置的密码不符，电子邮箱没有确认。请输入注册“%(unit)s”时设置的密码。"
    "如果您没有注册“%(unit)s”，请不要确认，关闭本页即可；"
    "如果是您注册的但忘了密码，请用此电子邮箱重新提交注册，新的注册会取代这一次。"
)

CONFIRM_REFUSED_REASON = gettext_lazy("确认链接上输入的密码与注册时设置的不符")


def confirm_refused(*, obj, email: str, username: str, request=None) -> None:
    """A wrong password on a confirmation link (a registration's or a kept-apart claim's): audited
    `user.email_confirm_refused` on what the link confirms and, given the request, a failed sign-in of `username`
    for axes (docs/security.md §25, §28)."""
    audit_record(
        actor=SYSTEM,
        action="user.email_confirm_refused",
        obj=obj,
        after={"email": email},
        reason=str(CONFIRM_REFUSED_REASON),
    )
    if request is not None:
        from django.contrib.auth.signals import user_login_failed

        user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


def email_confirmed(user: User) -> None:
    """Audit `user.email_confirm`: the registrant confirmed the address at a link with the registration's
    password (a registration's own link, or a kept-apart one's, whose account is made confirmed: §25, §28)."""
    audit_record(
        actor=user,
        action="user.email_confirm",
        obj=user,
        before={"email_unconfirmed": True},
        after={"email_unconfirmed": False, "is_active": user.is_active},
    )


def registration_address_confirm(*, user: User, password: str, request=None) -> User:
    """The registrant opened the link mailed to their address and typed the password chosen at registration:
    the address is theirs, and so is the registration. The account becomes usable now if staff have verified
    the unit already; otherwise when they do (`unit_verify`). Confirming twice changes nothing (audited once:
    `user.email_confirm`).

    The password is asked because the mailbox alone proves only the address: a stranger who registered with
    someone's address after them replaces their registration (§24), and the link the owner is then mailed
    would confirm the stranger's registration — the stranger's password, the stranger's unit. Whoever confirms
    must know the registration's password (docs/security.md §25). A wrong one changes nothing (the link keeps
    working), is audited `user.email_confirm_refused` (committed: this runs outside any transaction of the
    caller's), and, given the request, counts as a failed sign-in of the account for axes (five from one
    address lock it there, as the sign-in page): raises ApplicationError with the words to show."""
    if not user.email_unconfirmed:
        return user
    if not user.check_password(password or ""):
        confirm_refused(obj=user, email=user.email, username=user.get_username(), request=request)
        raise ApplicationError(
            WRONG_REGISTRATION_PASSWORD % {"unit": user.unit.local_name if user.unit_id else ""},
            code="wrong_password",
        )
    return _registration_address_confirmed(user)


@transaction.atomic
def _registration_address_confirmed(user: User) -> User:
    from .registrations import REGISTRATION_GONE, address_lock, gone_words

    # the address first, as a kept-apart registration's confirmation takes it (§32): one pressed at the same
    # instant has either withdrawn this registration (refused here) or waits and finds the address confirmed
    email = user.email
    address_lock(email)
    user = User.objects.select_for_update(of=("self",)).select_related("unit").get(pk=user.pk)
    if not user.email_unconfirmed:
        return user
    if not user.email or fold_email(user.email) != fold_email(email):  # withdrawn since its link was read
        raise ApplicationError(gone_words(email, REGISTRATION_GONE), code="gone")
    activate = (
        not user.is_active and user.last_login is None and user.unit_id is not None and user.unit.is_verified
    )
    user.email_unconfirmed = False
    user.is_active = user.is_active or activate
    user.save(update_fields=["email_unconfirmed", "is_active"])
    email_confirmed(user)
    from .claims import claims_drop

    claims_drop(email_key=user.email_key)  # registrations kept apart for this address are void now (§28)
    return user


def unit_register_known_address(
    *, email: str, unit_name: str, base_url: str, password: str = "", password_hash: str = ""
) -> int | None:
    """Someone registered a unit with an address an account already has: nothing is made, and the page says
    what it says to a new registration (the address is not confirmed to anyone). The owner gets an e-mail, in
    their language, saying so, with the way to sign in or to set a new password. (An unconfirmed registration
    of the address never gets here: the new registration is kept apart beside it, `registration_claim`, §28.) The
    password given is hashed as a registration would, so the answer takes as long (given `password_hash`, the
    caller hashed it, as it does for every registration: not again). Returns, as `unit_register` tells, the
    seconds to wait when the address had its share of mail (§22): nothing mailed then; else None."""
    from django.contrib.auth.hashers import make_password

    if not password_hash:
        make_password(password)
    owners = list(User.objects.filter(email_key=fold_email(email)).select_related("unit").order_by("pk"))
    wait = mail_wait(email, why="registration_known_address")  # once per address, as a new registration
    if wait is not None:
        return wait
    for owner in owners:
        with translation.override(recipient_language(owner)):
            subject = _("科创平台：有人用您的电子邮箱注册单位")
            words = {
                "name": owner.full_name or owner.email,
                "email": owner.email,
                "unit": unit_name,
                "login": absolute_link(base_url, "accounts:login"),
                "reset": absolute_link(base_url, "accounts:password-reset"),
                "first": owner.unit.local_name if owner.unit_id else "",
            }
            if owner.is_active:
                body = (
                    _(
                        "%(name)s，您好：\n\n"
                        "有人在科创平台用您的电子邮箱（%(email)s）注册单位“%(unit)s”。此邮箱已有账号，"
                        "因此没有新建账号，也没有提交注册。\n\n"
                        "如果是您本人：请用此电子邮箱直接登录 %(login)s ；忘记密码请在此找回：%(reset)s\n"
                        "如果不是您：请忽略本邮件，您的账号没有任何变化。\n"
                    )
                    % words
                )
            elif _awaits_unit(owner):  # registered, address confirmed, the unit not verified yet
                body = (
                    _(
                        "%(name)s，您好：\n\n"
                        "有人在科创平台用您的电子邮箱（%(email)s）注册单位“%(unit)s”。此邮箱已用于单位“%(first)s”"
                        "的注册，因此没有新建账号，也没有提交注册。\n\n"
                        "那次注册正等待科技厅核验单位：核验通过后，核验结果会发到此邮箱，您即可用此电子邮箱和"
                        "注册时设置的密码登录 %(login)s 。在此之前无法登录，也无法找回密码；"
                        "如有疑问，请联系科技厅工作人员。\n"
                        "如果不是您：请忽略本邮件，您的账号没有任何变化。\n"
                    )
                    % words
                )
            else:  # deactivated by staff, or its unit's registration sent back: a password reset skips it
                body = (
                    _(
                        "%(name)s，您好：\n\n"
                        "有人在科创平台用您的电子邮箱（%(email)s）注册单位“%(unit)s”。此邮箱已有账号，"
                        "因此没有新建账号，也没有提交注册。\n\n"
                        "此账号目前已停用（或所在单位的注册未通过核验），不能登录，找回密码对它也无效。"
                        "如果是您本人并需要恢复使用：请联系科技厅工作人员，由他们核实后重新启用账号"
                        "或更正单位信息。\n"
                        "如果不是您：请忽略本邮件，您的账号没有任何变化。\n"
                    )
                    % words
                )
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [owner.email])
    return None


def registration_mail_words(*, name, unit, email, confirm, login, hours) -> tuple[str, str]:
    """The subject and body of a registration's e-mail: which unit and who first, as the address's owner may
    get it for a registration someone else made with it (§24, §28), and the link confirms only with that
    registration's password (§25). The same for a registration kept apart (§28)."""
    subject = _("科创平台：单位注册已提交")
    body = _(
        "您好：\n\n"
        "有人用此电子邮箱（%(email)s）在科创平台注册单位“%(unit)s”，注册人姓名“%(name)s”。"
        "注册已提交科技厅核验，核验结果将发到此邮箱。\n\n"
        "如果是您注册的：请打开以下链接，输入注册时设置的密码，确认此电子邮箱是您的"
        "（%(hours)s内有效）：%(confirm)s\n"
        "电子邮箱确认、单位通过核验后，请用本电子邮箱和您设置的密码登录：%(login)s\n\n"
        "如果您没有注册“%(unit)s”：请忽略本邮件，不要确认。未经确认，这次注册不能用您的电子邮箱登录，"
        "到期后自动撤回。\n"
    ) % {"name": name, "unit": unit, "hours": hours, "confirm": confirm, "email": email, "login": login}
    return subject, body


@transaction.atomic
def unit_register(
    *,
    unit_fields: dict,
    full_name: str,
    email: str,
    password: str = "",
    password_hash: str = "",
    phone: str = "",
    base_url: str = "",
    address_confirmed: bool = False,
    unit: Unit | None = None,
) -> tuple[Unit, User]:
    """A unit registers itself: the unit waits for staff verification, and its first user (an applicant of
    the unit) cannot sign in until the unit is verified and the address confirmed: registering takes no proof
    that the address is the registrant's, so the e-mail (with `base_url`, the page) carries a link that
    confirms it (`registration_address_confirm`) and says this address signs in once both are done
    (docs/adr/0017; docs/security.md §19). `address_confirmed`: the demo's registrant, whose address is
    made up. A registration holding `email` whose link has lapsed is withdrawn first (§20). `unit`: the unit
    of that name someone added without registering it (selectors.unit_awaiting_registration): taken over, its
    details the registration's, still waiting for staff (§22). The user returned has `confirmation_held`: the
    seconds to wait when the address had its share of mail this window and the link was not mailed (the
    page says so; staff's page resends it), else None. `password_hash`: the password hashed already
    (`make_password`), before any lock was taken — the registration page and a kept-apart registration's
    confirmation: a hash takes 0.1-0.8 s, and nothing else that makes or renames a unit could run meanwhile
    (docs/security.md §35); without it `password` is hashed here."""
    from .registrations import address_lock, registrations_lapse

    # the address first, before any row or audit (whose chain lock comes after it in every step that takes
    # both, §32): a confirmation of another registration of it pressed meanwhile runs before or after this
    address_lock(email)
    unit_names_lock()  # then the units' names (§33): the unit's name and credit code checked and written under it
    # an unconfirmed registration holding this address is not replaced (§28): the account's one-address rule
    # refuses this one (the registration page keeps such a post apart: services.registration_claim)
    registrations_lapse(email=email)
    before = None
    if unit is not None and unit.pk:
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        if unit.status == Unit.Status.PENDING and not unit.users.exists():
            before = snapshot(unit)
        else:  # registered meanwhile: a new unit, which full_clean refuses for its name
            unit = None
    if unit is None:
        unit = Unit(status=Unit.Status.PENDING, is_active=True)
    check_names(unit, unit_fields, by_staff=False)  # a registrant is no staff member
    for name, value in unit_fields.items():
        if name in UNIT_FIELDS:
            _set_field(unit, name, value)
    unit.full_clean()
    unit.save()
    user = User(
        username=username_for_email(email),
        email=email,
        full_name=full_name,
        phone=phone,
        unit=unit,
        is_active=False,
        email_unconfirmed=not address_confirmed,
        email_confirm_sent_at=timezone.now() if base_url and not address_confirmed else None,
    )
    if password_hash:
        user.password = password_hash
    else:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    # the address may have had its share of mail this window (§22): the link is then not mailed, the page
    # says so (`user.confirmation_held`: the seconds to wait, else None) and staff's page offers to resend it
    held = mail_wait(email, why="registration") if base_url else None
    if held is not None:
        user.email_confirm_sent_at = None
    user.save()
    user.confirmation_held = held
    user.groups.set([Group.objects.get_or_create(name=Role.APPLICANT.value)[0]])
    if before is None:
        audit_record(actor=user, action="unit.register", obj=unit, after=snapshot(unit))
    else:  # a unit added earlier by name, taken over: what it was beside what the registration made it
        audit_record(actor=user, action="unit.register", obj=unit, before=before, after=snapshot(unit))
    notify(
        recipients=User.objects.filter(is_active=True, groups__name=Role.STAFF).distinct(),
        title=Message(gettext_noop("新单位注册待核验：%(unit)s"), unit=unit.both_names),
        url=unit.get_absolute_url(),
        kind="accounts.unit_register",
        email=False,
    )
    if held is not None and user.email_unconfirmed:
        from .registrations import registration_mail_held

        registration_mail_held(obj=user, wait=held)
    if base_url and held is None:
        subject, body = registration_mail_words(
            name=full_name,
            unit=unit.name,
            email=user.email,
            confirm=registration_address_link(user, base_url),
            login=absolute_link(base_url, "accounts:login"),
            hours=invitation_lifetime(),
        )
        transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email]))
    return unit, user


def _unit_check(unit: Unit, action: str, actor, wrong_state, *, reason: str = ""):
    """The unit machine's transition for `action` (accounts.workflow.UNIT), or InvalidTransition: the
    wrong state said as `wrong_state`, any other refusal (role, missing reason) as the machine says it."""
    if unit.status not in UNIT.get(action).sources:
        raise InvalidTransition(wrong_state)
    return UNIT.check(unit.status, action, actor_roles(actor), obj=unit, ctx={"reason": reason})


@transaction.atomic
def unit_verify(*, actor, unit: Unit, note: str = "") -> Unit:
    """Staff confirm a registered unit's details: the unit becomes eligible and its waiting users may sign in."""
    if not permissions.is_staff_member(actor):
        raise PermissionDenied(_("只有科技厅工作人员可以核验单位。"))
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    t = _unit_check(unit, "verify", actor, VERIFY_ONLY_PENDING, reason=note)
    before = unit.status
    unit.status, unit.verified_at, unit.verified_by, unit.rejection_reason = (
        t.target,
        timezone.now(),
        person(actor),
        "",
    )
    unit.save(update_fields=["status", "verified_at", "verified_by", "rejection_reason", "updated_at"])
    # The registrants: inactive users of the unit who have never signed in (a deactivated user has) and have
    # confirmed their address; one who has not becomes active when they do (registration_address_confirm).
    waiting = list(unit.users.filter(is_active=False, last_login__isnull=True, email_unconfirmed=False))
    User.objects.filter(pk__in=[u.pk for u in waiting]).update(is_active=True)
    audit_record(
        actor=actor,
        action="unit.verify",
        obj=unit,
        before={"status": before},
        after={"status": unit.status, "activated_users": [str(u) for u in waiting]},  # names, not logins
        reason=note,
    )
    for u in waiting:
        u.is_active = True
    notify(
        recipients=waiting,
        title=Message(gettext_noop("单位注册已通过核验：%(unit)s"), unit=unit.both_names),
        body=Message(gettext_noop("您现在可以用注册时填写的电子邮箱和密码登录。")),
        url=unit.get_absolute_url(),
        kind="accounts.unit_verify",
    )
    return unit


@transaction.atomic
def unit_reject(*, actor, unit: Unit, reason: str) -> Unit:
    """Staff send a registration back with the reason; the unit stays unverified, its users cannot sign in."""
    if not permissions.is_staff_member(actor):
        raise PermissionDenied(_("只有科技厅工作人员可以核验单位。"))
    if not reason.strip():
        raise ValidationError({"reason": _("退回时请写明理由。")})
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    t = _unit_check(unit, "reject", actor, REJECT_ONLY_PENDING, reason=reason)
    unit.status, unit.rejection_reason = t.target, reason
    unit.save(update_fields=["status", "rejection_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="unit.reject",
        obj=unit,
        before={"status": Unit.Status.PENDING},
        after={"status": unit.status},
        reason=reason,
    )
    # The registrants cannot sign in to read a notification: they get the e-mail alone, its subject in each
    # one's language (the reason is as staff wrote it).
    by_language: dict[str, list[str]] = {}
    for registrant in unit.users.exclude(email="").only("email", "language"):
        by_language.setdefault(recipient_language(registrant), []).append(registrant.email)
    for language, addresses in sorted(by_language.items()):
        with translation.override(language):
            subject = mail_subject(_("单位注册未通过核验：%(unit)s") % {"unit": unit.local_name})
        transaction.on_commit(
            lambda subject=subject, addresses=addresses: send_mail(
                subject, reason, settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=True
            )
        )
    return unit
