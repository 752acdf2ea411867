"""The demo's ingested report: the province-B annual summary as found on the web (demo_data/, with its
source note). Idempotent: the document is keyed by the SHA-256 of its bytes."""

from pathlib import Path

from django.utils.translation import gettext_noop

from kechuang.core.commands import say
from kechuang.core.roles import DEMO

from .services import document_ingest

DEMO_FILE = Path(__file__).parent / "demo_data" / "province-b-annual-summary.txt"


def load(*, stdout=None) -> None:
    data = DEMO_FILE.read_bytes()
    document, created = document_ingest(
        actor=DEMO, data=data, filename=DEMO_FILE.name, title="强科技行动总结（乙省）", region="甘肃"
    )
    say(
        stdout,
        gettext_noop("报告：已导入 %(title)s（%(facts)s 个事实，%(changes)s 处修改）")
        if created
        else gettext_noop("报告：已有 %(title)s（%(facts)s 个事实，%(changes)s 处修改）"),
        title=document.title,
        facts=document.facts.count(),
        changes=document.changes.count(),
    )
