"""API tokens: issuing, checking and revoking them; a changed password revokes them."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.core.audit import audit_record
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.queries import CompiledOne

from .. import permissions, scopes
from ..models import ApiToken, User


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_lifetime() -> timedelta:
    return timedelta(days=int(getattr(settings, "API_TOKEN_DAYS", 30)))


def lock_person(user: User) -> None:
    """Hold the person's row until the caller's transaction ends (SELECT … FOR UPDATE on PostgreSQL; on SQLite
    every transaction already begins IMMEDIATE, one writer at a time). Issuing a token and turning the second
    factor on both take it first, so one waits for the other: a token request whose code check ran before the
    device was confirmed either commits its token before the confirmation (which then revokes it) or finds the
    confirmed device once it holds the row (and is refused) — never a password-only token left after it."""
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()


TOKEN_AREA_UNKNOWN = gettext_lazy("没有这个领域：%(areas)s。")
TOKEN_ACCESS_UNKNOWN = gettext_lazy("令牌权限只能是只读或读写。")


def _scope_payload(token: ApiToken) -> dict:
    return {"access": token.access, "areas": list(token.areas)}


@transaction.atomic
def token_issue(
    *, actor, user: User, access: str, areas=(), name: str = "", second_factor: bool = False
) -> tuple[ApiToken, str]:
    """Issue a token to `user` (who is the actor, or signed in with their password; `second_factor`: and
    gave a current code), with its scope: `access` read or write (scopes.Access), `areas` the API's areas it
    may call (scopes.AREAS; none: all). Returns the token and its key, which is not stored and cannot be
    shown again."""
    if actor != user:
        raise PermissionDenied(_("只能为自己签发令牌。"))
    if not user.is_active:
        raise PermissionDenied(_("用户已停用。"))
    if access not in scopes.Access.values:
        raise ValidationError({"access": str(TOKEN_ACCESS_UNKNOWN)})
    try:
        areas = scopes.clean_areas(areas)
    except ValueError as exc:
        raise ValidationError({"areas": str(TOKEN_AREA_UNKNOWN % {"areas": exc})}) from None
    lock_person(user)
    if not second_factor:
        from ..second_factor import OTP_REQUIRED, device_of

        if device_of(user) is not None:  # confirmed since the caller's check (docs/security.md §19)
            raise ApplicationError(OTP_REQUIRED, code="otp_required")
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=key[:8],
        digest=_digest(key),
        auth_hash=user.get_session_auth_hash(),
        expires_at=timezone.now() + token_lifetime(),
        second_factor=second_factor,
        access=access,
        areas=areas,
    )
    audit_record(
        actor=actor,
        action="token.issue",
        obj=user,
        after={
            "token": token.prefix,
            "name": token.name,
            "expires_at": token.expires_at,
            **_scope_payload(token),
        },
    )
    return token, key


def password_only_tokens(user: User):
    """The person's live tokens issued with the password alone (no second-factor code): turning the second
    factor on revokes them (second_factor.confirm), and its setup page says so first."""
    return ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, second_factor=False, expires_at__gt=timezone.now()
    )


def token_is_live(token: ApiToken) -> bool:
    """Not revoked and not expired (the owner's state is checked when the token is used)."""
    return token.revoked_at is None and token.expires_at > timezone.now()


# Every API call reads its token with its owner: the SQL built once per process and database (core.queries), not
# by the ORM's compiler on each call (~0.9 ms of CPU a call on SQLite, 0.1 ms run from the built SQL). `digest` is
# unique: one row or none.
_TOKEN = CompiledOne(lambda digest: ApiToken.objects.select_related("user").filter(digest=digest))


def token_authenticate(key: str) -> tuple[ApiToken | None, str]:
    """The live token with this key, or None and the reason it is refused. Reads only."""
    from django.utils.crypto import constant_time_compare

    found = _TOKEN.rows(_digest(key))
    token = found[0] if found else None
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
    if not token.second_factor:
        from ..second_factor import required_for

        if required_for(token.user):  # a role that requires it was given after the token was issued
            return None, _("此账号现须双因素认证：该令牌签发时未验证动态验证码，请重新获取。")
    return token, ""


LAST_USED_EVERY = timedelta(minutes=1)


def token_used(token: ApiToken, *, address: str | None) -> None:
    """Note a call made with the token (its list shows when and from where it was last used): written at most
    once a minute per address, so a script's burst of calls costs one UPDATE. Bookkeeping of the credential,
    as a session's own row is, so not audited."""
    now = timezone.now()
    if (
        token.last_used_at is not None
        and token.last_used_from == address
        and now - token.last_used_at < LAST_USED_EVERY
    ):
        return
    token.last_used_at, token.last_used_from = now, address
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_from=address)


@transaction.atomic
def token_revoke(*, actor, token: ApiToken, reason: str = "owner") -> ApiToken:
    """Revoke one token: its owner, or staff. Revoking a revoked token changes nothing."""
    if actor != token.user and not permissions.is_staff_member(actor):
        raise PermissionDenied(_("只能撤销自己的令牌。"))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at, token.revoke_reason = timezone.now(), reason
        token.save(update_fields=["revoked_at", "revoke_reason"])
        audit_record(
            actor=actor,
            action="token.revoke",
            obj=token.user,
            after={"token": token.prefix, **_scope_payload(token)},
            reason=reason,
        )
    return token


def tokens_revoke_all(*, actor, user: User, reason: str, password_only: bool = False) -> int:
    """Revoke every live token of `user` (password change or reset, deactivation); one audit event.
    `password_only`: only those issued with the password alone (the second factor turned on)."""
    live = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    if password_only:
        live = live.filter(second_factor=False)
    revoked = list(live.order_by("created_at", "pk").values("prefix", "access", "areas"))
    if not revoked:
        return 0
    live.update(revoked_at=timezone.now(), revoke_reason=reason)
    audit_record(
        actor=actor,
        action="token.revoke",
        obj=user,
        after={
            "tokens": [t["prefix"] for t in revoked],
            "scopes": {t["prefix"]: {"access": t["access"], "areas": t["areas"]} for t in revoked},
        },
        reason=reason,
    )
    return len(revoked)


@transaction.atomic
def password_changed(*, actor, user: User, how: str) -> None:
    """Record a password change or reset that Django's forms have saved, and revoke the user's tokens."""
    audit_record(actor=actor, action=f"user.password_{how}", obj=user)
    tokens_revoke_all(actor=actor, user=user, reason=f"password_{how}")
