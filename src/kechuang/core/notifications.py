"""In-app notifications with an e-mail copy (issue #13 part 8).

`notify` stores the in-app notice and, for each recipient with an address who has not turned that kind of
notice off (their 通知设置 page, `NoticeOptOut`), an `OutboundEmail`; after the surrounding transaction
commits, the background job `kechuang.send_email` (core.tasks) sends each one — in the calling process when
no broker is configured (CELERY_TASK_ALWAYS_EAGER), by `kechuang worker` otherwise. A send that fails is
retried (`KECHUANG_EMAIL_RETRIES` times, `KECHUANG_EMAIL_RETRY_SECONDS` apart with a broker); a message that
still fails is kept as 发送失败 with its reason, shown to staff (the 邮件发送 page and a dashboard card), who
may send it again. Links in the e-mail are absolute, from `KECHUANG_SITE_URL`.
"""

import re
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import counters
from .audit import audit_record
from .messages import Message, encode, render_in
from .models import NoticeOptOut, Notification, OutboundEmail

# The kinds of notice a person chooses among, by the first word of `Notification.kind`. A kind not listed
# falls in "other".
NOTICE_GROUPS: list[tuple[str, object, tuple[str, ...]]] = [
    ("challenge", gettext_lazy("榜单发布、截止与撤销"), ("challenge",)),
    ("application", gettext_lazy("揭榜申请：提交、形式审查、立项与公示结果"), ("application", "objection")),
    (
        "project",
        gettext_lazy("攻关项目：任务书、里程碑、变更、中期与验收"),
        ("contract", "milestone", "change_request", "acceptance", "midterm", "downselect"),
    ),
    ("review", gettext_lazy("专家评审：评审任务、退回与专家资料"), ("review",)),
    ("platforms", gettext_lazy("平台年度报告与平台评价"), ("platforms", "evaluation")),
    ("accounts", gettext_lazy("单位注册、核验与信息变更"), ("accounts",)),
    ("system", gettext_lazy("系统告警（审计链）"), ("core",)),
    ("other", gettext_lazy("其他通知"), ()),
]
GROUP_KEYS = [key for key, _label, _prefixes in NOTICE_GROUPS]


def group_of(kind: str) -> str:
    head = (kind or "").split(".", 1)[0]
    for key, _label, prefixes in NOTICE_GROUPS:
        if head in prefixes:
            return key
    return "other"


def absolute_url(url: str) -> str:
    """A link as an e-mail must carry it: absolute, on the configured site (KECHUANG_SITE_URL)."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.KECHUANG_SITE_URL.rstrip("/") + "/" + url.lstrip("/")


# What ends a line (str.splitlines), with the blanks around it.
_LINE_BREAKS = re.compile(r"\s*[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+\s*")


def mail_subject(text) -> str:
    """`text` as an e-mail's subject: on one line. A subject often names something a person typed (an
    application's or a unit's name), and a line break in a header is refused by Django's mail (BadHeaderError:
    it will not let a header be injected), so the message was never sent: every attempt failed and it ended
    发送失败 (docs/security.md §37)."""
    return _LINE_BREAKS.sub(" ", str(text or "")).strip()


def email_body(body: str, url: str) -> str:
    link = absolute_url(url)
    text = str(body or "").strip()
    if link:
        text = f"{text}\n\n{_('查看详情：')}{link}".strip()
    footer = _("不想再收到这类邮件？在 %(url)s 修改通知设置。") % {
        "url": absolute_url("/notifications/settings/")
    }
    return f"{text}\n\n--\n{footer}"


def recipient_language(person) -> str:
    """The language a person's e-mail is written in: the one they chose on their profile page
    (`accounts.User.language`), or the site's language (Chinese) when they chose none the site still offers."""
    chosen = getattr(person, "language", "") or ""
    supported = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in supported else settings.LANGUAGE_CODE


def notify(
    *,
    recipients: Iterable,
    title: "str | Message",
    body: "str | Message" = "",
    url: str = "",
    kind: str = "",
    email: bool = True,
) -> list[Notification]:
    """Tell each recipient (users) that something asks them to act; queue an e-mail copy for those with an
    address who want this kind of notice.

    `title` and `body` are a `core.messages.Message` (or a gettext_lazy string) when they are the system's
    words, kept as msgid and parameters and read in each reader's language; a plain str is data (a reason
    someone typed) and is shown as it is."""
    stored = {"title": encode(title), "body": encode(body)}
    message = {k: v for k, v in stored.items() if isinstance(v, dict)}
    zh = settings.LANGUAGE_CODE
    title_zh = render_in(stored["title"], zh)[:200]
    body_zh = render_in(stored["body"], zh)
    # as an English reader reads them, for the list's search (only the system's words differ between the two)
    title_en = render_in(stored["title"], "en")[:200] if "title" in message else ""
    body_en = render_in(stored["body"], "en") if "body" in message else ""
    people = [r for r in recipients if r is not None and getattr(r, "is_active", True)]
    seen, unique = set(), []
    for person in people:
        if person.pk not in seen:
            seen.add(person.pk)
            unique.append(person)
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient=p,
                title=title_zh,
                body=body_zh,
                title_en=title_en,
                body_en=body_en,
                message=message,
                url=url,
                kind=kind,
            )
            for p in unique
        ]
    )
    if email:
        with_address = [p for p in unique if p.email]
        if with_address:
            opted_out = set(
                NoticeOptOut.objects.filter(
                    user__in=[p.pk for p in with_address], group=group_of(kind)
                ).values_list("user_id", flat=True)
            )
            written: dict[str, tuple[str, str]] = {}  # language -> (subject, text)
            mails = []
            for p in with_address:
                if p.pk in opted_out:
                    continue
                language = recipient_language(p)
                if language not in written:
                    with translation.override(language):
                        written[language] = (
                            mail_subject(render_in(stored["title"], language))[:200],
                            email_body(render_in(stored["body"], language), url),
                        )
                subject, text = written[language]
                mails.append(
                    OutboundEmail(recipient=p, address=p.email, subject=subject, body=text, kind=kind)
                )
            mails = OutboundEmail.objects.bulk_create(mails)
            ids = [m.pk for m in mails]  # bulk_create sets the keys (SQLite ≥ 3.35, PostgreSQL)
            if ids:
                transaction.on_commit(lambda: email_enqueue(ids))
    return created


def email_enqueue(ids: Iterable[int]) -> None:
    """Hand the messages to the background job (runs here when no broker is configured)."""
    from .tasks import send_email

    for pk in ids:
        send_email.delay(pk)


def email_deliver(email_id: int) -> OutboundEmail | None:
    """One attempt to send a pending message. Returns it (sent, or pending with the error when the attempt
    failed: the job retries); raises nothing. A message already sent is left alone (a job delivered twice)."""
    with transaction.atomic():
        mail = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if mail is None or mail.status == OutboundEmail.Status.SENT:
            return mail
        mail.attempts += 1
        try:
            send_mail(  # a subject stored before mail_subject, on one line
                mail_subject(mail.subject),
                mail.body,
                settings.DEFAULT_FROM_EMAIL,
                [mail.address],
                fail_silently=False,
            )
        except Exception as exc:  # any backend failure: SMTP, network, refused address
            mail.last_error = f"{exc.__class__.__name__}: {exc}"[:500]
            mail.save(update_fields=["attempts", "last_error"])
        else:
            mail.status = OutboundEmail.Status.SENT
            mail.sent_at = timezone.now()
            mail.last_error = ""
            mail.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    return mail


def email_give_up(email_id: int) -> None:
    """The job ran out of retries: the message is 发送失败 with its last reason, for staff to see."""
    OutboundEmail.objects.filter(pk=email_id).exclude(status=OutboundEmail.Status.SENT).update(
        status=OutboundEmail.Status.FAILED
    )
    counters.recount("core.emails_failed")


@transaction.atomic
def email_resend(*, actor, email: OutboundEmail) -> None:
    """Staff send a failed message again (audited); the job retries it as a new message would be."""
    OutboundEmail.objects.filter(pk=email.pk).update(status=OutboundEmail.Status.PENDING, attempts=0)
    counters.recount("core.emails_failed")
    audit_record(
        actor=actor,
        action="email.resend",
        obj=email,
        object_repr=_("发给 %(to)s 的邮件「%(subject)s」") % {"to": email.address, "subject": email.subject},
    )
    transaction.on_commit(lambda: email_enqueue([email.pk]))


@transaction.atomic
def notice_preferences_set(*, actor, user, email_groups: Iterable[str]) -> None:
    """The kinds of notice `user` gets by e-mail (the others they do not); audited when they change."""
    wanted = set(email_groups) & set(GROUP_KEYS)
    before = sorted(set(NoticeOptOut.objects.filter(user=user).values_list("group", flat=True)))
    after = sorted(set(GROUP_KEYS) - wanted)
    if before == after:
        return
    NoticeOptOut.objects.filter(user=user).delete()
    NoticeOptOut.objects.bulk_create([NoticeOptOut(user=user, group=g) for g in after])
    labels = {key: str(label) for key, label, _p in NOTICE_GROUPS}
    audit_record(
        actor=actor,
        action="notice.set",
        obj=user,
        before={"email_off": "、".join(labels[g] for g in before) or "—"},
        after={"email_off": "、".join(labels[g] for g in after) or "—"},
    )


def email_groups_of(user) -> set[str]:
    """The kinds of notice the person gets by e-mail."""
    return set(GROUP_KEYS) - set(NoticeOptOut.objects.filter(user=user).values_list("group", flat=True))


def notifications_of(*, user, q: str = ""):
    """The user's notifications (the list pages them newest first); those whose title or text holds `q` when
    given, in either language as its reader sees it (the Chinese as stored, the English rendered when the notice
    was made: `title_en`, `body_en`), so that each reader finds a notice by the words on their page; only this
    user's rows are read."""
    qs = Notification.objects.filter(recipient=user)
    if q:
        qs = qs.filter(
            Q(title__icontains=q) | Q(body__icontains=q) | Q(title_en__icontains=q) | Q(body_en__icontains=q)
        )
    return qs


def emails_listed(*, status: str = "", q: str = ""):
    """Notification e-mails (of one status when given), with their recipients; those whose address or subject
    holds `q`, or sent to a person whose name holds it (through the users' name index, core.bigram), when
    given."""
    from django.contrib.auth import get_user_model

    from . import bigram

    qs = OutboundEmail.objects.select_related("recipient")
    if status in OutboundEmail.Status.values:
        qs = qs.filter(status=status)
    if q:
        named = get_user_model().objects.filter(bigram.matches("search_bigrams", q, "full_name"))
        qs = qs.filter(
            Q(address__icontains=q) | Q(subject__icontains=q) | Q(recipient__in=named.values("pk"))
        )
    return qs


def notifications_unread(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    qs = notifications_unread(user)
    if hasattr(
        user, "_kechuang_unread"
    ):  # the count read with the user (accounts.backends) is no longer true
        del user._kechuang_unread
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
