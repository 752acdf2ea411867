"""People: roles, users, invitations, edits and deactivation."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.core.audit import audit_record, diff, snapshot
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.notifications import recipient_language
from kechuang.core.roles import Role, require_role

from .. import permissions
from ..models import Unit, User, fold_email
from ..role_loss import roles_changed_by
from .tokens import tokens_revoke_all


def roles_sync() -> list[Group]:
    """Create the role groups if missing. Idempotent."""
    return [Group.objects.get_or_create(name=r.value)[0] for r in Role]


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
    """Replace a user's roles. Staff only. A role taken away revokes the user's API tokens."""
    if not permissions.is_staff_member(actor):
        raise PermissionDenied(_("只有科技厅工作人员可以分配角色。"))
    before = sorted(user.groups.values_list("name", flat=True))
    audit_record(
        actor=actor,
        action="user.set_roles",
        obj=user,
        before={"roles": before},
        after={"roles": sorted(str(r) for r in roles)},
        reason=reason,
    )
    # A role taken away revokes the person's tokens (accounts.role_loss, on every path; audited after this).
    with roles_changed_by(actor):
        user.groups.set([Group.objects.get_or_create(name=str(r))[0] for r in roles])
    user._kechuang_roles = None
    return user


def username_for_email(email: str) -> str:
    """A free login name made from an e-mail address (people never type or pick one)."""
    import re

    base = re.sub(r"[^\w.@+-]", "", email.split("@")[0])[:140] or "user"
    name, n = base, 1
    while User.objects.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}{n}"
    return name


STAFF_ONLY_PEOPLE = gettext_lazy("只有科技厅工作人员可以管理用户。")


NOT_YOURSELF = gettext_lazy("不能停用自己的账号。")


def invitation_link(user: User, base_url: str) -> str:
    """A single-use link to set a first password (accounts.links: it expires after KECHUANG_INVITATION_TIMEOUT
    seconds and stops working once a password is set)."""
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from ..links import invitation_tokens

    path = reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_tokens.make_token(user),
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
    language: str = "",
    base_url: str,
) -> User:
    """Staff invite a person by e-mail: the account is made with the roles and unit given, no password and
    the language chosen for them (the site's when none); the e-mail, written in that language, holds a link to
    set a password and says to sign in with this address (docs/adr/0017: no login name is shown)."""
    require_role(actor, Role.STAFF, message=STAFF_ONLY_PEOPLE)
    user = user_create(
        actor=actor,
        username=username_for_email(email),
        password=None,
        roles=roles,
        unit=unit,
        email=email,
        full_name=full_name,
        phone=phone,
        language=language or settings.LANGUAGE_CODE,
    )
    link = invitation_link(user, base_url)
    # Written in the invitee's language, not the inviter's page's.
    with translation.override(recipient_language(user)):
        subject = _("科创平台账号邀请")
        body = _(
            "%(name)s，您好：\n\n科技厅为您开通了科创平台账号，请用本电子邮箱（%(email)s）登录。\n"
            "请在 %(hours)d 小时内打开以下链接设置密码：\n%(link)s\n"
        ) % {
            "name": full_name,
            "email": user.email,
            "hours": settings.KECHUANG_INVITATION_TIMEOUT // 3600,
            "link": link,
        }
    from django.core.mail import send_mail

    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email]))
    audit_record(
        actor=actor, action="user.invite", obj=user, after={"email": email, "language": user.language}
    )
    return user


@transaction.atomic
def user_update(
    *,
    actor,
    user: User,
    roles=None,
    unit: Unit | None | object = ...,
    reason: str = "",
    base_url: str = "",
    **fields,
) -> User:
    """Staff change a person's name, e-mail, phone, unit and roles; one audit event says what changed. A new
    e-mail address for someone who has signed in waits for them to confirm it (`email_new`: a link to it, a
    notice to the old one, which keeps working meanwhile; services.address_change, docs/security.md §20);
    giving the current address again withdraws a change not yet confirmed."""
    from .address_change import address_change_request, needs_confirmation

    require_role(actor, Role.STAFF, message=STAFF_ONLY_PEOPLE)
    user = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    watched = ["full_name", "email", "email_new", "phone", "unit_id"]
    before = snapshot(user, watched)
    for name in ("full_name", "phone"):
        if name in fields:
            setattr(user, name, fields[name])
    new_address = None
    if "email" in fields:
        if fold_email(fields["email"]) == user.email_key:
            user.email_new, user.email_new_sent_at = "", None  # the current one again: no change waits
        elif needs_confirmation(user):
            new_address = fields["email"]
            probe = User(username=user.username, email=new_address)  # the address checked as the account's
            probe.pk = user.pk
            probe.clean()
        else:
            user.email = fields["email"]
    if unit is not ...:
        user.unit = unit
    user.full_clean(exclude=["password"])
    if new_address is not None and fold_email(new_address) != fold_email(user.email_new):
        address_change_request(
            actor=actor, user=user, new=new_address, base_url=base_url or settings.KECHUANG_SITE_URL
        )
    user.save(update_fields=["full_name", "email", "email_new", "email_new_sent_at", "phone", "unit"])
    b, a = diff(before, snapshot(user, watched))
    if roles is not None:
        old = sorted(user.groups.values_list("name", flat=True))
        new = sorted({str(r) for r in roles})
        if old != new:
            b["roles"], a["roles"] = old, new
    if a:
        audit_record(actor=actor, action="user.update", obj=user, before=b, after=a, reason=reason)
    if "roles" in a:
        # A role taken away revokes the person's tokens (accounts.role_loss; audited after this event).
        with roles_changed_by(actor):
            user.groups.set([Group.objects.get_or_create(name=r)[0] for r in a["roles"]])
        user._kechuang_roles = None
    return user


@transaction.atomic
def user_set_active(*, actor, user: User, active: bool, reason: str = "") -> User:
    """Staff deactivate a person (they cannot sign in, their open sessions stop working and their API tokens
    are revoked) or reactivate them."""
    require_role(actor, Role.STAFF, message=STAFF_ONLY_PEOPLE)
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


@transaction.atomic
def user_set_orcid(*, actor, user: User, orcid: str) -> User:
    """A person gives (or clears) their own ORCID iD on their profile page; audited as `user.orcid`."""
    from ..validators import normalize_orcid, validate_orcid

    if actor.pk != user.pk:
        raise PermissionDenied(_("只能修改本人的 ORCID。"))
    value = normalize_orcid(orcid) if orcid.strip() else ""
    if value:
        validate_orcid(value)
    return _set_own(actor=actor, user=user, field="orcid", value=value, action="user.orcid")


def _set_own(*, actor, user: User, field: str, value, action: str) -> User:
    """One field of a person's own account changed (locked, saved, audited); no change, no event."""
    user = User.objects.select_for_update().get(pk=user.pk)
    before = getattr(user, field)
    if before == value:
        return user
    setattr(user, field, value)
    user.save(update_fields=[field])
    audit_record(actor=actor, action=action, obj=user, before={field: before}, after={field: value})
    return user


NOT_A_LANGUAGE = gettext_lazy("请选择本站提供的语言。")


@transaction.atomic
def user_set_language(*, actor, user: User, language: str) -> User:
    """A person chooses the language of their e-mails and of the pages when they sign in (their profile page
    or PATCH /api/me/); one of settings.LANGUAGES. Audited as `user.update` (语言: old → new, read by the choices' labels); no change, no event."""
    if actor.pk != user.pk:
        raise PermissionDenied(_("只能修改本人的语言设置。"))
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationError({"language": NOT_A_LANGUAGE})
    return _set_own(actor=actor, user=user, field="language", value=language, action="user.update")
