"""The shape of Kechuang's imports between apps, read from the source (no Django needed).

Reads every module under src/kechuang/ (migrations and tests left out) and prints:
- the cross-app import edges (app → app: count);
- the cycles between apps (strongly connected groups of the edge graph);
- the cross-app imports made inside functions (hidden from a reader of the module head);
- the project imports under `except ImportError`;
- the `except Exception` handlers (bare `except:` too) in services modules;
- the modules over 500 lines (migrations, demo.py and gendata.py left out).

`python tools/import_graph.py` prints the report; `--summary` prints only the counts, one per line.
Top-level modules (urls.py, settings, cli.py…) count as the app "kechuang".
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "kechuang"
BIG_LINES = 500
BIG_EXEMPT = {"demo.py", "gendata.py"}


@dataclass
class Report:
    edges: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    cross_imports: int = 0
    hidden: list[str] = field(default_factory=list)
    import_error: list[str] = field(default_factory=list)
    broad_except: list[str] = field(default_factory=list)
    big: list[tuple[str, int]] = field(default_factory=list)


def app_of(module: str) -> str | None:
    """`kechuang.review.services.rounds` → "review"; top-level project modules → "kechuang"."""
    parts = module.split(".")
    if parts[0] != "kechuang":
        return None
    if len(parts) == 1:
        return "kechuang"
    candidate = PACKAGE / parts[1]
    return parts[1] if candidate.is_dir() and (candidate / "__init__.py").exists() else "kechuang"


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def skipped(path: Path) -> bool:
    parts = path.relative_to(PACKAGE).parts
    return "migrations" in parts or "tests" in parts or parts[-1] == "conftest.py"


def imported_modules(node: ast.AST, here: str, is_package: bool) -> list[str]:
    """The absolute module names an Import/ImportFrom node brings in."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:
        base = here.split(".")
        if not is_package:
            base = base[:-1]
        base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
        prefix = ".".join(base)
        root = f"{prefix}.{node.module}" if node.module else prefix
    else:
        root = node.module or ""
    if not node.module or root == "kechuang":
        # `from . import x` / `from kechuang import review`: each name may be a module of its own
        return [f"{root}.{alias.name}" for alias in node.names]
    return [root]


class Walker(ast.NodeVisitor):
    def __init__(self, path: Path, report: Report):
        self.path = path
        self.rel = path.relative_to(ROOT).as_posix()
        self.here = module_name(path)
        self.app = app_of(self.here)
        self.is_package = path.name == "__init__.py"
        self.report = report
        self.depth = 0  # function nesting
        self.in_import_error = 0
        self.services = "services" in path.relative_to(PACKAGE).parts or path.stem == "services"

    def visit_FunctionDef(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Try(self, node):
        catches_import_error = any(
            self._catches(h, {"ImportError", "ModuleNotFoundError"}) for h in node.handlers
        )
        for handler in node.handlers:
            if self.services and (
                handler.type is None or self._catches(handler, {"Exception", "BaseException"})
            ):
                self.report.broad_except.append(f"{self.rel}:{handler.lineno}")
        if catches_import_error:
            self.in_import_error += 1
            for stmt in node.body:
                self.visit(stmt)
            self.in_import_error -= 1
            for part in (node.handlers, node.orelse, node.finalbody):
                for stmt in part:
                    self.visit(stmt)
        else:
            self.generic_visit(node)

    @staticmethod
    def _catches(handler: ast.ExceptHandler, names: set[str]) -> bool:
        kind = handler.type
        kinds = kind.elts if isinstance(kind, ast.Tuple) else [kind] if kind is not None else []
        return any(isinstance(k, ast.Name) and k.id in names for k in kinds)

    def _imports(self, node):
        for target in imported_modules(node, self.here, self.is_package):
            other = app_of(target)
            if other is None:
                continue
            where = f"{self.rel}:{node.lineno} {target}"
            if self.in_import_error:
                self.report.import_error.append(where)
            if other == self.app:
                continue
            self.report.edges[(self.app, other)] += 1
            self.report.cross_imports += 1
            if self.depth:
                self.report.hidden.append(where)

    def visit_Import(self, node):
        self._imports(node)

    def visit_ImportFrom(self, node):
        self._imports(node)


def cycles(edges) -> list[list[str]]:
    """Strongly connected groups of more than one app (Tarjan)."""
    graph = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
        graph.setdefault(b, set())
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return sorted(found)


def two_way(edges) -> list[tuple[str, str]]:
    return sorted((a, b) for (a, b) in edges if a < b and (b, a) in edges)


def build(package: Path = PACKAGE) -> Report:
    report = Report()
    for path in sorted(package.rglob("*.py")):
        if skipped(path):
            continue
        source = path.read_text(encoding="utf-8")
        Walker(path, report).visit(ast.parse(source, filename=str(path)))
        lines = source.count("\n")
        if lines > BIG_LINES and path.name not in BIG_EXEMPT:
            report.big.append((path.relative_to(ROOT).as_posix(), lines))
    report.big.sort(key=lambda item: -item[1])
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--summary", action="store_true", help="only the counts")
    args = parser.parse_args(argv)
    report = build()
    found = cycles(report.edges)
    summary = [
        ("cross-app imports", report.cross_imports),
        ("app edges", len(report.edges)),
        ("two-way app pairs", len(two_way(report.edges))),
        ("cycles (strongly connected app groups)", len(found)),
        ("cross-app imports inside functions", len(report.hidden)),
        ("project imports under except ImportError", len(report.import_error)),
        ("except Exception / bare except in services", len(report.broad_except)),
        (f"modules over {BIG_LINES} lines", len(report.big)),
    ]
    if not args.summary:
        print("## App edges (importer -> imported: imports)")
        for (a, b), n in sorted(report.edges.items()):
            print(f"  {a} -> {b}: {n}")
        print("\n## Two-way pairs")
        for a, b in two_way(report.edges):
            print(f"  {a} <-> {b}  ({report.edges[(a, b)]} / {report.edges[(b, a)]})")
        print("\n## Cycles")
        for group in found:
            print("  " + " , ".join(group))
        print("\n## Cross-app imports inside functions")
        for line in report.hidden:
            print("  " + line)
        print("\n## Project imports under except ImportError")
        for line in report.import_error:
            print("  " + line)
        print("\n## except Exception / bare except in services")
        for line in report.broad_except:
            print("  " + line)
        print(f"\n## Modules over {BIG_LINES} lines (migrations, demo.py, gendata.py left out)")
        for path, lines in report.big:
            print(f"  {lines:5d} {path}")
        print("\n## Summary")
    for label, value in summary:
        print(f"{label}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
