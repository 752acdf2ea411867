"""Ingest on the dashboard: staff see how many facts from reports wait for review."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kechuang.core.counts import count_many
from kechuang.core.roles import Role, has_role
from kechuang.core.ui import Card, Task


def _counts(user) -> dict:
    """Facts waiting for review, all proposed facts and documents: one query, once per request."""
    counts = getattr(user, "_kc_ingest_counts", None)
    if counts is None:
        from .models import Document, Fact
        from .selectors import facts_visible_to

        counts = count_many(
            open=facts_visible_to(user).filter(status=Fact.Status.PROPOSED),
            proposed=Fact.objects.filter(status=Fact.Status.PROPOSED),
            documents=Document.objects.all(),
        )
        user._kc_ingest_counts = counts
    return counts


def tasks_for(user) -> list[Task]:
    if not has_role(user, Role.STAFF):
        return []
    n = _counts(user)["open"]
    if not n:
        return []
    return [Task(title=_("审核报告中的事实"), url=reverse("ingest:fact-queue"), kind="ingest", count=n)]


def cards_for(user) -> list[Card]:
    if user is None or not has_role(user, Role.STAFF):
        return []
    counts = _counts(user)
    return [
        Card(
            title=_("已导入报告"),
            value=str(counts["documents"]),
            url=reverse("ingest:document-list"),
            note=ngettext("待审核事实 %(n)d 条", "待审核事实 %(n)d 条", counts["proposed"])
            % {"n": counts["proposed"]},
        )
    ]
