"""Every write to units, users and API tokens. Each is audited."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.core.audit import audit_record, diff, snapshot
from kechuang.core.exceptions import ApplicationError, InvalidTransition, PermissionDenied
from kechuang.core.notifications import notify
from kechuang.core.roles import Role, require_role

from . import permissions
from .models import ApiToken, Unit, UnitChangeRequest, User

# Once a unit is verified, these change only through a change request that staff approve: eligibility,
# conflict-of-interest rules and the endorsement chain read them.
VERIFIED_FIELDS = (
    "name",
    "kind",
    "credit_code",
    "province",
    "city",
    "region_code",
    "parent",
    "endorser",
)
# A unit user keeps these up to date without asking.
FREE_FIELDS = ("name_en", "short_name", "address", "contact_name", "contact_phone", "contact_email")
UNIT_FIELDS = VERIFIED_FIELDS + FREE_FIELDS
FK_FIELDS = ("parent", "endorser")

CHANGE_NEEDS_REQUEST = gettext_lazy(
    "已核验单位的名称、类型、统一社会信用代码、地区、上级单位和推荐单位须提交变更申请，由科技厅审核。"
)


def roles_sync() -> list[Group]:
    """Create the role groups if missing. Idempotent."""
    return [Group.objects.get_or_create(name=r.value)[0] for r in Role]


@transaction.atomic
def unit_create(*, actor, **fields) -> Unit:
    """Create a validated unit and audit it. A unit staff create is verified by them."""
    unit = Unit(is_active=fields.get("is_active", True))
    for name, value in fields.items():
        if name in UNIT_FIELDS:
            _set_field(unit, name, value)
    if permissions.is_staff_member(actor):
        unit.verified_at, unit.verified_by = timezone.now(), actor
    unit.full_clean()
    unit.save()
    audit_record(actor=actor, action="unit.create", obj=unit, after=snapshot(unit))
    return unit


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
        raise PermissionDenied("您无权修改此单位。")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if not permissions.is_staff_member(actor) and unit.is_verified and verified_changes(unit, fields):
        raise PermissionDenied(CHANGE_NEEDS_REQUEST, code="change_request_required")
    before = snapshot(unit)
    changed = []
    for name, value in fields.items():
        if name not in UNIT_FIELDS:
            continue
        _set_field(unit, name, value)
        changed.append(name)
    unit.full_clean()
    unit.save(update_fields=[*changed, "updated_at"] if changed else None)
    b, a = diff(before, snapshot(unit))
    if a:
        audit_record(actor=actor, action="unit.update", obj=unit, before=b, after=a, reason=reason)
    return unit


@transaction.atomic
def user_create(
    *, actor, username: str, password: str | None, roles=(), unit: Unit | None = None, **fields
) -> User:
    """Create a user with roles. A None password makes an account that cannot sign in until one is set."""
    user = User(username=username, unit=unit, **fields)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    groups = [Group.objects.get_or_create(name=str(r))[0] for r in roles]
    user.groups.set(groups)
    audit_record(
        actor=actor,
        action="user.create",
        obj=user,
        after={
            "username": username,
            "roles": sorted(str(r) for r in roles),
            "unit": unit.pk if unit else None,
        },
    )
    return user


@transaction.atomic
def user_set_roles(*, actor, user: User, roles, reason: str = "") -> User:
    """Replace a user's roles. Staff only."""
    if not permissions.is_staff_member(actor):
        raise PermissionDenied("只有科技厅工作人员可以分配角色。")
    before = sorted(user.groups.values_list("name", flat=True))
    user.groups.set([Group.objects.get_or_create(name=str(r))[0] for r in roles])
    user._kechuang_roles = None
    audit_record(
        actor=actor,
        action="user.set_roles",
        obj=user,
        before={"roles": before},
        after={"roles": sorted(str(r) for r in roles)},
        reason=reason,
    )
    return user


# --- verified fields: change requests ---------------------------------------------------------------

CHANGE_NOTHING = gettext_lazy("申请的值与当前已核验的值相同，无需变更。")
CHANGE_PENDING = gettext_lazy("本单位已有一项待审核的变更申请，请等待科技厅审核后再提交。")
CHANGE_DECIDED = gettext_lazy("此变更申请已审核。")


@transaction.atomic
def unit_change_request_create(*, actor, unit: Unit, changes: dict, reason: str = "") -> UnitChangeRequest:
    """Ask staff to change verified fields of the actor's own unit. The proposed values are validated as the
    unit would be (a bad credit code or a taken name is refused now, not at approval); the unit is unchanged."""
    if not permissions.can_edit_unit(actor, unit):
        raise PermissionDenied("您无权修改此单位。")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    proposed = verified_changes(unit, {k: v for k, v in changes.items() if k in VERIFIED_FIELDS})
    if not proposed:
        raise ApplicationError(CHANGE_NOTHING, code="no_change")
    if UnitChangeRequest.objects.filter(unit=unit, status=UnitChangeRequest.Status.PENDING).exists():
        raise ApplicationError(CHANGE_PENDING, code="change_request_pending", status=409)
    trial = Unit.objects.get(pk=unit.pk)
    for name, value in proposed.items():
        _set_field(trial, name, value)
    trial.full_clean()
    cr = UnitChangeRequest(
        unit=unit,
        changes=proposed,
        before={name: _current(unit, name) for name in proposed},
        reason=reason,
        requested_by=actor,
    )
    cr.full_clean()
    cr.save()
    audit_record(
        actor=actor, action="unit.change_request", obj=unit, before=cr.before, after=cr.changes, reason=reason
    )
    notify(
        recipients=User.objects.filter(is_active=True, groups__name=Role.STAFF).distinct(),
        title=_("单位信息变更申请：%(unit)s") % {"unit": unit.name},
        url=cr.get_absolute_url(),
        kind="accounts.change_request",
        email=False,
    )
    return cr


@transaction.atomic
def unit_change_request_decide(
    *, actor, change_request: UnitChangeRequest, approve: bool, note: str = ""
) -> UnitChangeRequest:
    """Staff approve (the unit takes the requested values, validated again) or reject (note required)."""
    if not permissions.is_staff_member(actor):
        raise PermissionDenied("只有科技厅工作人员可以审核单位信息变更。")
    cr = UnitChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if cr.status != UnitChangeRequest.Status.PENDING:
        raise InvalidTransition(CHANGE_DECIDED)
    if not approve and not note.strip():
        raise ValidationError({"note": _("驳回时请写明理由。")})
    unit = Unit.objects.select_for_update().get(pk=cr.unit_id)
    if approve:
        before = snapshot(unit)
        for name, value in cr.changes.items():
            _set_field(unit, name, value)
        unit.full_clean()
        unit.save(update_fields=[*cr.changes, "updated_at"])
        b, a = diff(before, snapshot(unit))
        audit_record(actor=actor, action="unit.update", obj=unit, before=b, after=a, reason=note or cr.reason)
    cr.status = UnitChangeRequest.Status.APPROVED if approve else UnitChangeRequest.Status.REJECTED
    cr.decided_by, cr.decided_at, cr.decision_note = actor, timezone.now(), note
    cr.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    audit_record(
        actor=actor,
        action="unit.change_request.approve" if approve else "unit.change_request.reject",
        obj=unit,
        after={"change_request": cr.pk, "changes": cr.changes},
        reason=note,
    )
    notify(
        recipients=[cr.requested_by],
        title=(_("单位信息变更已批准：%(unit)s") if approve else _("单位信息变更被驳回：%(unit)s"))
        % {"unit": unit.name},
        body=note,
        url=unit.get_absolute_url(),
        kind="accounts.change_request",
    )
    return cr


@transaction.atomic
def unit_update_or_request(
    *, actor, unit: Unit, fields: dict, reason: str = ""
) -> tuple[Unit, UnitChangeRequest | None]:
    """What a unit's edit page and `PATCH /api/units/<id>/` do: staff (and the users of a unit not verified
    yet) change the unit at once; a unit user of a verified unit changes its free fields at once and asks for
    the verified ones in one change request. Returns the unit and the change request, if one was made."""
    if permissions.is_staff_member(actor) or not unit.is_verified:
        return unit_update(actor=actor, unit=unit, reason=reason, **fields), None
    requested = verified_changes(unit, fields)
    free = {k: v for k, v in fields.items() if k in FREE_FIELDS}
    if free:
        unit = unit_update(actor=actor, unit=unit, reason=reason, **free)
    cr = (
        unit_change_request_create(actor=actor, unit=unit, changes=requested, reason=reason)
        if requested
        else None
    )
    return unit, cr


# --- registration and verification ------------------------------------------------------------------

VERIFY_ONLY_PENDING = gettext_lazy("只能核验待核验或未通过核验的单位。")
REJECT_ONLY_PENDING = gettext_lazy("只能退回待核验的单位。")


@transaction.atomic
def unit_register(
    *,
    unit_fields: dict,
    full_name: str,
    email: str,
    password: str,
    phone: str = "",
) -> tuple[Unit, User]:
    """A unit registers itself: the unit waits for staff verification, and its first user (an applicant of
    the unit) cannot sign in until the unit is verified."""
    unit = Unit(status=Unit.Status.PENDING, is_active=True)
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
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.set([Group.objects.get_or_create(name=Role.APPLICANT.value)[0]])
    audit_record(actor=user, action="unit.register", obj=unit, after=snapshot(unit))
    notify(
        recipients=User.objects.filter(is_active=True, groups__name=Role.STAFF).distinct(),
        title=_("新单位注册待核验：%(unit)s") % {"unit": unit.name},
        url=unit.get_absolute_url(),
        kind="accounts.unit_register",
        email=False,
    )
    return unit, user


@transaction.atomic
def unit_verify(*, actor, unit: Unit, note: str = "") -> Unit:
    """Staff confirm a registered unit's details: the unit becomes eligible and its waiting users may sign in."""
    if not permissions.is_staff_member(actor):
        raise PermissionDenied("只有科技厅工作人员可以核验单位。")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.status == Unit.Status.VERIFIED:
        raise InvalidTransition(VERIFY_ONLY_PENDING)
    before = unit.status
    unit.status, unit.verified_at, unit.verified_by, unit.rejection_reason = (
        Unit.Status.VERIFIED,
        timezone.now(),
        actor,
        "",
    )
    unit.save(update_fields=["status", "verified_at", "verified_by", "rejection_reason", "updated_at"])
    # The registrants: inactive users of the unit who have never signed in (a deactivated user has).
    waiting = list(unit.users.filter(is_active=False, last_login__isnull=True))
    User.objects.filter(pk__in=[u.pk for u in waiting]).update(is_active=True)
    audit_record(
        actor=actor,
        action="unit.verify",
        obj=unit,
        before={"status": before},
        after={"status": unit.status, "activated_users": [u.username for u in waiting]},
        reason=note,
    )
    for u in waiting:
        u.is_active = True
    notify(
        recipients=waiting,
        title=_("单位注册已通过核验：%(unit)s") % {"unit": unit.name},
        body=_("您现在可以用用户名 %(username)s 登录。")
        % {"username": ", ".join(u.username for u in waiting)},
        url=unit.get_absolute_url(),
        kind="accounts.unit_verify",
    )
    return unit


@transaction.atomic
def unit_reject(*, actor, unit: Unit, reason: str) -> Unit:
    """Staff send a registration back with the reason; the unit stays unverified, its users cannot sign in."""
    if not permissions.is_staff_member(actor):
        raise PermissionDenied("只有科技厅工作人员可以核验单位。")
    if not reason.strip():
        raise ValidationError({"reason": _("退回时请写明理由。")})
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.status != Unit.Status.PENDING:
        raise InvalidTransition(REJECT_ONLY_PENDING)
    unit.status, unit.rejection_reason = Unit.Status.REJECTED, reason
    unit.save(update_fields=["status", "rejection_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="unit.reject",
        obj=unit,
        before={"status": Unit.Status.PENDING},
        after={"status": unit.status},
        reason=reason,
    )
    # The registrants cannot sign in to read a notification: they get the e-mail alone.
    addresses = [e for e in unit.users.values_list("email", flat=True) if e]
    if addresses:
        from django.core.mail import send_mail

        subject = _("单位注册未通过核验：%(unit)s") % {"unit": unit.name}
        transaction.on_commit(
            lambda: send_mail(subject, reason, settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=True)
        )
    return unit


def username_for_email(email: str) -> str:
    """A free login name made from an e-mail address (people never type or pick one)."""
    import re

    base = re.sub(r"[^\w.@+-]", "", email.split("@")[0])[:140] or "user"
    name, n = base, 1
    while User.objects.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}{n}"
    return name


# --- API tokens -------------------------------------------------------------------------------------


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_lifetime() -> timedelta:
    return timedelta(days=int(getattr(settings, "API_TOKEN_DAYS", 30)))


@transaction.atomic
def token_issue(*, actor, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Issue a token to `user` (who is the actor, or signed in with their password). Returns the token and
    its key, which is not stored and cannot be shown again."""
    if actor != user:
        raise PermissionDenied("只能为自己签发令牌。")
    if not user.is_active:
        raise PermissionDenied("用户已停用。")
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=key[:8],
        digest=_digest(key),
        auth_hash=user.get_session_auth_hash(),
        expires_at=timezone.now() + token_lifetime(),
    )
    audit_record(
        actor=actor,
        action="token.issue",
        obj=user,
        after={"token": token.prefix, "name": token.name, "expires_at": token.expires_at},
    )
    return token, key


def token_is_live(token: ApiToken) -> bool:
    """Not revoked and not expired (the owner's state is checked when the token is used)."""
    return token.revoked_at is None and token.expires_at > timezone.now()


def token_authenticate(key: str) -> tuple[ApiToken | None, str]:
    """The live token with this key, or None and the reason it is refused. Reads only."""
    from django.utils.crypto import constant_time_compare

    token = ApiToken.objects.select_related("user").filter(digest=_digest(key)).first()
    if token is None:
        return None, _("令牌无效。")
    if token.revoked_at is not None:
        return None, _("令牌已撤销。")
    if token.expires_at <= timezone.now():
        return None, _("令牌已过期，请重新获取。")
    if not token.user.is_active:
        return None, _("用户已停用。")
    if not constant_time_compare(token.auth_hash, token.user.get_session_auth_hash()):
        return None, _("密码已更改，令牌失效，请重新获取。")
    return token, ""


@transaction.atomic
def token_revoke(*, actor, token: ApiToken, reason: str = "owner") -> ApiToken:
    """Revoke one token: its owner, or staff. Revoking a revoked token changes nothing."""
    if actor != token.user and not permissions.is_staff_member(actor):
        raise PermissionDenied("只能撤销自己的令牌。")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at, token.revoke_reason = timezone.now(), reason
        token.save(update_fields=["revoked_at", "revoke_reason"])
        audit_record(
            actor=actor, action="token.revoke", obj=token.user, after={"token": token.prefix}, reason=reason
        )
    return token


def tokens_revoke_all(*, actor, user: User, reason: str) -> int:
    """Revoke every live token of `user` (password change or reset, deactivation); one audit event."""
    live = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    prefixes = list(live.values_list("prefix", flat=True))
    if not prefixes:
        return 0
    live.update(revoked_at=timezone.now(), revoke_reason=reason)
    audit_record(actor=actor, action="token.revoke", obj=user, after={"tokens": prefixes}, reason=reason)
    return len(prefixes)


@transaction.atomic
def password_changed(*, actor, user: User, how: str) -> None:
    """Record a password change or reset that Django's forms have saved, and revoke the user's tokens."""
    audit_record(actor=actor, action=f"user.password_{how}", obj=user)
    tokens_revoke_all(actor=actor, user=user, reason=f"password_{how}")


# --- people: invitation, roles and units, deactivation ------------------------------------------------

STAFF_ONLY_PEOPLE = gettext_lazy("只有科技厅工作人员可以管理用户。")
NOT_YOURSELF = gettext_lazy("不能停用自己的账号。")


def _require_staff(actor) -> None:
    require_role(actor, Role.STAFF, message=STAFF_ONLY_PEOPLE)


def invitation_link(user: User, base_url: str) -> str:
    """A single-use link to set a first password (Django's password-reset token: it expires after
    PASSWORD_RESET_TIMEOUT seconds and stops working once a password is set)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    path = reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return base_url.rstrip("/") + path


@transaction.atomic
def user_invite(
    *,
    actor,
    email: str,
    full_name: str,
    roles=(),
    unit: Unit | None = None,
    phone: str = "",
    base_url: str,
) -> User:
    """Staff invite a person by e-mail: the account is made with the roles and unit given and no password;
    the e-mail holds the login name and a link to set a password."""
    _require_staff(actor)
    user = user_create(
        actor=actor,
        username=username_for_email(email),
        password=None,
        roles=roles,
        unit=unit,
        email=email,
        full_name=full_name,
        phone=phone,
    )
    link = invitation_link(user, base_url)
    subject = _("科创平台账号邀请")
    body = _(
        "%(name)s，您好：\n\n科技厅为您开通了科创平台账号，登录用户名：%(username)s。\n"
        "请在 %(hours)d 小时内打开以下链接设置密码：\n%(link)s\n"
    ) % {
        "name": full_name,
        "username": user.username,
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        "link": link,
    }
    from django.core.mail import send_mail

    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email]))
    audit_record(actor=actor, action="user.invite", obj=user, after={"email": email})
    return user


@transaction.atomic
def user_update(
    *,
    actor,
    user: User,
    roles=None,
    unit: Unit | None | object = ...,
    reason: str = "",
    **fields,
) -> User:
    """Staff change a person's name, e-mail, phone, unit and roles; one audit event says what changed."""
    _require_staff(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(user, ["full_name", "email", "phone", "unit_id"])
    for name in ("full_name", "email", "phone"):
        if name in fields:
            setattr(user, name, fields[name])
    if unit is not ...:
        user.unit = unit
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "email", "phone", "unit"])
    b, a = diff(before, snapshot(user, ["full_name", "email", "phone", "unit_id"]))
    if roles is not None:
        old = sorted(user.groups.values_list("name", flat=True))
        new = sorted({str(r) for r in roles})
        if old != new:
            user.groups.set([Group.objects.get_or_create(name=r)[0] for r in new])
            user._kechuang_roles = None
            b["roles"], a["roles"] = old, new
    if a:
        audit_record(actor=actor, action="user.update", obj=user, before=b, after=a, reason=reason)
    return user


@transaction.atomic
def user_set_active(*, actor, user: User, active: bool, reason: str = "") -> User:
    """Staff deactivate a person (they cannot sign in, their open sessions stop working and their API tokens
    are revoked) or reactivate them."""
    _require_staff(actor)
    if not active and actor.pk == user.pk:
        raise ApplicationError(NOT_YOURSELF)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="user.activate" if active else "user.deactivate",
        obj=user,
        before={"is_active": not active},
        after={"is_active": active},
        reason=reason,
    )
    if not active:
        # Sessions need no deleting: ModelBackend.get_user refuses an inactive user on the next request.
        tokens_revoke_all(actor=actor, user=user, reason="deactivation")
    return user
