"""In-app notifications with an e-mail copy, sent after the surrounding transaction commits."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification


def notify(
    *, recipients: Iterable, title: str, body: str = "", url: str = "", kind: str = "", email: bool = True
) -> list[Notification]:
    """Tell each recipient (users) that something asks them to act; mail a copy to those with an address."""
    people = [r for r in recipients if r is not None and getattr(r, "is_active", True)]
    seen, unique = set(), []
    for person in people:
        if person.pk not in seen:
            seen.add(person.pk)
            unique.append(person)
    created = Notification.objects.bulk_create(
        [
            Notification(recipient=p, title=str(title)[:200], body=str(body), url=url, kind=kind)
            for p in unique
        ]
    )
    if email:
        addresses = [p.email for p in unique if p.email]

        def send():
            for address in addresses:
                send_mail(
                    str(title),
                    f"{body}\n\n{url}".strip(),
                    settings.DEFAULT_FROM_EMAIL,
                    [address],
                    fail_silently=True,
                )

        if addresses:
            transaction.on_commit(send)
    return created


def notifications_unread(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    qs = notifications_unread(user)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
