"""Ingest on the dashboard: staff see how many facts from reports wait for review."""

from django.urls import reverse
from django.utils.translation import gettext as _

from kechuang.accounts.roles import Role, has_role
from kechuang.web.registry import Card, Task


def tasks_for(user) -> list[Task]:
    if not has_role(user, Role.STAFF):
        return []
    from .selectors import open_fact_count

    n = open_fact_count(user=user)
    if not n:
        return []
    return [Task(title=_("审核报告中的事实"), url=reverse("ingest:fact-queue"), kind="ingest", count=n)]


def cards_for(user) -> list[Card]:
    if user is None or not has_role(user, Role.STAFF):
        return []
    from .models import Document, Fact

    return [
        Card(
            title=_("已导入报告"),
            value=str(Document.objects.count()),
            url=reverse("ingest:document-list"),
            note=_("待审核事实 %(n)d 条") % {"n": Fact.objects.filter(status=Fact.Status.PROPOSED).count()},
        )
    ]
