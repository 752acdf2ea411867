"""A person's e-mail address changed by staff takes effect once the person confirms it (docs/security.md §20):
staff name the new address, a link goes to it and a notice to the old one, and the old address keeps signing
in (and receiving password resets) until the link is opened. Each step is audited."""

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.core.audit import audit_record
from kechuang.core.exceptions import InvalidTransition
from kechuang.core.notifications import recipient_language

from ..links import absolute_link, invitation_lifetime
from ..models import User, fold_email

CHANGE_SALT = "kechuang.accounts.address-change"

ADDRESS_TAKEN_MEANWHILE = gettext_lazy("此电子邮箱已被另一个账号使用，无法改用。请联系科技厅工作人员。")


def needs_confirmation(user: User) -> bool:
    """Whether a new address staff give this person waits for the person's confirmation: anyone who has signed
    in (their mail, sign-in and password resets move with it). An account never signed in (an invitation not yet
    taken, a registration) takes the new address at once: nothing of the person's is behind it yet."""
    return user.last_login is not None


def address_change_token(user: User) -> str:
    """The signed token of the link mailed to the new address: the account, the new address and the address
    it replaces, so the link stops working once either changes. Works KECHUANG_INVITATION_HOURS."""
    return signing.dumps(
        {"u": user.pk, "e": fold_email(user.email_new), "o": fold_email(user.email)}, salt=CHANGE_SALT
    )


def person_for_change_token(token: str) -> User | None:
    """The person a confirmation link names, or None when it is forged, expired, or outdated (the change was
    confirmed, cancelled or replaced, or the current address changed since)."""
    try:
        data = signing.loads(token, salt=CHANGE_SALT, max_age=settings.KECHUANG_INVITATION_TIMEOUT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or not user.email_new:
        return None
    if fold_email(user.email_new) != data.get("e") or fold_email(user.email) != data.get("o"):
        return None
    return user


def address_change_request(*, actor, user: User, new: str, base_url: str) -> None:
    """Inside `user_update` (which holds the person's row and audits): the new address waits as
    `email_new`; the link goes to it, a notice to the current one (each in the person's language)."""
    user.email_new = new
    user.email_new_sent_at = timezone.now()
    link = absolute_link(base_url, "accounts:email-change-confirm", address_change_token(user))
    with translation.override(recipient_language(user)):
        subject = _("科创平台：请确认您的新电子邮箱")
        body = _(
            "%(name)s，您好：\n\n"
            "科技厅工作人员把您在科创平台的电子邮箱改为此邮箱（%(new)s）。请打开以下链接确认（%(hours)s内有效）：\n"
            "%(link)s\n\n"
            "确认之后，请用此电子邮箱登录；确认之前，原来的电子邮箱仍然有效。\n"
            "如果您不知道这次更改，请忽略本邮件并联系科技厅工作人员。\n"
        ) % {"name": user.full_name or new, "new": new, "hours": invitation_lifetime(), "link": link}
        old_subject = _("科创平台：您的电子邮箱将被更改")
        old_body = _(
            "%(name)s，您好：\n\n"
            "科技厅工作人员把您在科创平台的电子邮箱由此邮箱（%(old)s）改为 %(new)s，确认链接已发到新邮箱。\n"
            "新邮箱确认之前，您仍用此邮箱登录、找回密码；确认之后改用新邮箱。\n"
            "如果您不知道这次更改，请联系科技厅工作人员：不打开确认链接，更改就不会生效。\n"
        ) % {"name": user.full_name or user.email, "old": user.email, "new": new}
    old = user.email
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [new]))
    transaction.on_commit(lambda: send_mail(old_subject, old_body, settings.DEFAULT_FROM_EMAIL, [old]))


@transaction.atomic
def address_change_confirm(*, user: User) -> User:
    """The person opened the link at the new address: it becomes their address (sign-in, mail, password
    resets; reset links mailed to the old one stop working). Refused if another account took the address
    meanwhile. Audited `user.email_change_confirm` (the person is the actor)."""
    user = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    if not user.email_new:
        raise InvalidTransition(_("没有待确认的新电子邮箱。"))
    if User.objects.filter(email_key=fold_email(user.email_new)).exclude(pk=user.pk).exists():
        raise InvalidTransition(ADDRESS_TAKEN_MEANWHILE)
    old, new = user.email, user.email_new
    user.email, user.email_new, user.email_new_sent_at = new, "", None
    user.save(update_fields=["email", "email_new", "email_new_sent_at"])
    audit_record(
        actor=user,
        action="user.email_change_confirm",
        obj=user,
        before={"email": old},
        after={"email": new},
    )
    return user
