"""The review lifecycles of ingest: a fact (proposed → accepted / edited / rejected) and a document
(pending → reviewed once no fact is left undecided). Pure tables; `transition_apply` runs them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kechuang.core.roles import Role
from kechuang.core.workflow import StateMachine, Transition

STAFF = frozenset({Role.STAFF.value})


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    REVIEWED = "reviewed", _("已审核")


class FactStatus(models.TextChoices):
    PROPOSED = "proposed", _("待审核")
    ACCEPTED = "accepted", _("已采纳")
    EDITED = "edited", _("修改后采纳")
    REJECTED = "rejected", _("已驳回")


FS = FactStatus

FACT_MACHINE = StateMachine(
    "fact",
    FS,
    [
        Transition("accept", frozenset({FS.PROPOSED}), FS.ACCEPTED, STAFF, _("采纳")),
        Transition(
            "edit", frozenset({FS.PROPOSED, FS.ACCEPTED, FS.EDITED}), FS.EDITED, STAFF, _("修改后采纳")
        ),
        Transition("reject", frozenset({FS.PROPOSED, FS.ACCEPTED, FS.EDITED}), FS.REJECTED, STAFF, _("驳回")),
        Transition(
            "reopen",
            frozenset({FS.ACCEPTED, FS.EDITED, FS.REJECTED}),
            FS.PROPOSED,
            STAFF,
            _("退回待审"),
            needs_reason=True,
        ),
    ],
)


def _no_open_facts(document, ctx) -> str | None:
    """The caller (document_finish, the document page) says in ctx["open_facts"] whether any fact of the
    document is still proposed; not said counts as open (refused rather than finished unchecked)."""
    if ctx.get("open_facts", True):
        return str(_("还有待审核的事实。"))
    return None


DS = DocumentStatus
DOCUMENT_MACHINE = StateMachine(
    "document",
    DS,
    [
        Transition(
            "finish", frozenset({DS.PENDING}), DS.REVIEWED, STAFF, _("完成审核"), guards=(_no_open_facts,)
        ),
        Transition("reopen", frozenset({DS.REVIEWED}), DS.PENDING, STAFF, _("重新审核"), needs_reason=True),
    ],
)
