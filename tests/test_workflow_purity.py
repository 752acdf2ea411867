"""Every app's workflow.py is pure: states and transitions over values, no models and no queries.

Read from the source (an import-linter-style check on the AST): a workflow module imports no project
`models` module and nothing from `django.db` but `models` for TextChoices, and calls no queryset method,
so its guards read only the object's own fields and the facts the calling service put in `ctx`."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "kechuang"
WORKFLOWS = sorted(SRC.glob("*/workflow.py"))
# Methods that run (or build) a query: a guard calling one reads the database.
QUERY_METHODS = {
    "objects",
    "filter",
    "exclude",
    "exists",
    "values_list",
    "aggregate",
    "annotate",
    "select_related",
    "prefetch_related",
    "select_for_update",
    "all",
    "first",
    "last",
    "raw",
}
CHOICES = {"TextChoices", "IntegerChoices", "Choices"}
# Still reading the database, with the reason; the test fails when one becomes pure (take it off the list).
KNOWN: dict[str, str] = {}


def _problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names = {a.name for a in node.names}
            if module == "models" or module.endswith(".models") or (node.level and "models" in names):
                problems.append(f"line {node.lineno}: imports models ({module or '.'} {sorted(names)})")
            if module.startswith("django.db") and (module != "django.db" or names != {"models"}):
                problems.append(f"line {node.lineno}: imports from {module} {sorted(names)}")
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("django.db") or a.name.endswith(".models"):
                    problems.append(f"line {node.lineno}: imports {a.name}")
        elif isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Name) and node.value.id == "models" and node.attr not in CHOICES:
                problems.append(f"line {node.lineno}: uses models.{node.attr} (only the choices classes)")
            elif node.attr in QUERY_METHODS:
                problems.append(f"line {node.lineno}: calls .{node.attr} (a query)")
    return problems


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.parent.name for p in WORKFLOWS])
def test_workflow_module_is_pure(path):
    problems = _problems(path)
    if path.parent.name in KNOWN:
        assert problems, f"{path.parent.name}/workflow.py is pure now: take it off KNOWN"
        return
    assert not problems, f"{path.parent.name}/workflow.py:\n" + "\n".join(problems)


def test_the_check_sees_a_query_and_a_models_import(tmp_path):
    impure = tmp_path / "workflow.py"
    impure.write_text(
        "from .models import Round\n"
        "def _has(rnd, ctx):\n"
        "    return rnd.assignments.filter(status='active').exists()\n",
        encoding="utf-8",
    )
    problems = _problems(impure)
    assert any("imports models" in p for p in problems)
    assert any(".filter" in p for p in problems) and any(".exists" in p for p in problems)


def test_every_app_with_a_lifecycle_has_a_workflow():
    assert {p.parent.name for p in WORKFLOWS} >= {"challenges", "review", "evaluation", "platforms", "core"}
