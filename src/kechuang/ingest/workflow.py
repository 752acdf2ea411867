"""The review lifecycles of ingest: a fact (proposed → accepted / edited / rejected) and a document
(pending → reviewed once no fact is left undecided). Pure tables; `transition_apply` runs them."""

from django.utils.translation import gettext_lazy as _

from kechuang.core.roles import Role
from kechuang.core.workflow import StateMachine, Transition

from .models import Document, Fact

STAFF = frozenset({Role.STAFF.value})
FS = Fact.Status

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
    if document is not None and document.facts.filter(status=FS.PROPOSED).exists():
        return str(_("还有待审核的事实。"))
    return None


DS = Document.Status
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
