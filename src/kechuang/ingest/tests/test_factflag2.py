"""factflag2 (session 26): migration 0007's data step self-contained (a frozen copy of parsers/doubt.py as it was),
a fact whose place, period or subject a redaction or a gap may have taken flagged with its own reason, and the
bulk accepts (the queue's and the API's) in a number of queries that does not grow with the facts chosen."""

import ast
from importlib import import_module
from pathlib import Path

import pytest

from kechuang.ingest.models import Change

from .factories import DocumentFactory, FactFactory

MIGRATION = "kechuang.ingest.migrations.0007_fact_uncertain"

# ----------------------------------------------------------------------------- migration 0007, frozen


def test_migration_0007_imports_no_live_code_of_the_project():
    module = import_module(MIGRATION)
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    imported = [
        n.module if isinstance(n, ast.ImportFrom) else a.name
        for n in ast.walk(tree)
        if isinstance(n, ast.Import | ast.ImportFrom)
        for a in n.names
    ]
    assert imported and not [m for m in imported if m and m.startswith("kechuang")]


# text, the uncertain change's span in it, the fact (start, end, unit, place), what the migration must set
# (parts, spans in the quote): the flags the live parser gave when the migration was written (187cdaeb)
CASES = [
    ("全省建成X2个重点实验室，引进人才300名。", (4, 5), (4, 7, "个", ""), (["value"], [[4, 5]])),
    ("全省建成X2个重点实验室，引进人才300名。", (4, 5), (17, 21, "名", ""), ([], [])),
    ("20X3年，全省建成重点实验室12个。", (2, 3), (15, 18, "个", ""), (["period"], [[2, 3]])),
    ("全省新增高新技术企业318家，同比增长12%。", (13, 14), (10, 14, "家", ""), (["value", "unit"], [[13, 14]])),
    ("我市技术合同成交额达到1X亿元。", (12, 13), (11, 15, "元", ""), (["value"], [[12, 13]])),
    (
        "岚江省组团参展，岱X省科学技术厅带来成果146项。",
        (9, 10),
        (21, 25, "项", "岱沄省"),
        (["place"], [[9, 10]]),
    ),
    ("2023年，全省建成重点实验室12个。", (2, 3), (15, 18, "个", ""), (["period"], [[2, 3]])),
]


@pytest.mark.django_db
@pytest.mark.parametrize("text, span, fact, expected", CASES)
def test_migration_0007_flags_stored_facts_as_the_parser_did_then(text, span, fact, expected):
    from django.apps import apps

    start, end, unit, place = fact
    document = DocumentFactory(original_text=text, repaired_text=text)
    Change.objects.create(
        document=document,
        seq=0,
        step="mojibake",
        orig_start=span[0],
        orig_end=span[1],
        rep_start=span[0],
        rep_end=span[1],
        before="X",
        after="X",
        uncertain=True,
    )
    stored = FactFactory(document=document, quote=text, start=start, end=end, unit=unit, place=place)
    import_module(MIGRATION).flag_stored_facts(apps, None)
    stored.refresh_from_db()
    assert (stored.uncertain_parts, stored.uncertain_spans) == expected
    assert stored.uncertain is bool(expected[0])
