"""The English catalogue covers every string of the code, and the compiled catalogue matches it."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "src/kechuang/locale/en/LC_MESSAGES/django.po"
MO = PO.with_suffix(".mo")


def _msgids(po_text: str) -> dict[str, str]:
    sys.path.insert(0, str(ROOT / "tools"))
    from po_fill import ENTRY, entry_key, unquote

    return {
        entry_key(m): unquote(m.group("msgstr")) for m in ENTRY.finditer(po_text) if unquote(m.group("msgid"))
    }


def test_every_committed_entry_is_translated():
    entries = _msgids(PO.read_text(encoding="utf-8"))
    assert len(entries) > 1000
    untranslated = [k for k, v in entries.items() if not v]
    assert not untranslated, (
        f"{len(untranslated)} untranslated, e.g. {untranslated[:5]} (run `make messages`)"
    )


def test_compiled_catalogue_matches_the_po():
    import gettext

    catalogue = gettext.GNUTranslations(MO.open("rb"))
    entries = _msgids(PO.read_text(encoding="utf-8"))

    def compiled(key: str) -> str:  # "<context>\x04<msgid>" for an entry with a context (po_fill.entry_key)
        return catalogue.pgettext(*key.split("\x04", 1)) if "\x04" in key else catalogue.gettext(key)

    stale = [k for k, v in entries.items() if compiled(k) != v]
    assert not stale, f"django.mo is older than django.po for {stale[:5]} (run `make messages`)"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="gettext tools not installed")
def test_no_string_of_the_code_is_missing_from_the_catalogue(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src", src, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {
        "PYTHONPATH": str(src),
        "DJANGO_SETTINGS_MODULE": "kechuang.settings.test",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-P",  # not the working directory on sys.path: kechuang/celery.py would shadow celery
            "-m",
            "django",
            "makemessages",
            "-l",
            "en",
            "--no-obsolete",
            "-i",
            "*/tests/*",
            "--no-location",
        ],
        cwd=src / "kechuang",
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    fresh = _msgids((src / "kechuang/locale/en/LC_MESSAGES/django.po").read_text(encoding="utf-8"))
    committed = _msgids(PO.read_text(encoding="utf-8"))
    assert len(fresh) > 1000  # the extraction really ran over the apps
    missing = sorted(set(fresh) - set(committed))
    assert not missing, (
        f"{len(missing)} strings not in the catalogue, e.g. {missing[:5]} (run `make messages`)"
    )


def test_no_module_constant_is_translated_once_at_import():
    """A sentence kept in a module-level name must be `gettext_lazy`: `gettext` there translates it once, into
    the language active when the module is imported, and every later request gets that language (found in
    challenges' refusal messages, which English users read in Chinese)."""
    import ast

    found = []
    for path in sorted((ROOT / "src" / "kechuang").rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        eager = set()
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                eager |= {
                    a.asname or a.name for a in node.names if a.name in ("gettext", "ngettext", "pgettext")
                }
        for node in tree.body:
            targets = (
                node.targets
                if isinstance(node, ast.Assign)
                else [node.target]
                if isinstance(node, ast.AnnAssign)
                else []
            )
            value = getattr(node, "value", None)
            if not targets or value is None:
                continue
            for call in ast.walk(value):
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in eager:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, "module-level gettext (use gettext_lazy): " + ", ".join(sorted(set(found)))


def test_no_lazy_sentence_is_formatted_at_import():
    """`gettext_lazy("第%(q)s季度") % {...}` in a module's or a class's body formats the sentence once, at import,
    in the language then active: a form's choices stayed Chinese on English pages (walked, session 31: the
    spending report's quarters). Format it when it is read (`django.utils.functional.lazy` of a function)."""
    import ast

    found = []
    for path in sorted((ROOT / "src" / "kechuang").rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        lazy_names = set()
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                lazy_names |= {a.asname or a.name for a in node.names if a.name.endswith("gettext_lazy")}

        def bodies(nodes):  # statements run at import: the module's and its classes', not functions'
            for node in nodes:
                if isinstance(node, ast.ClassDef):
                    yield from bodies(node.body)
                elif not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    yield node

        for node in bodies(tree.body):
            for op in ast.walk(node):
                if (
                    isinstance(op, ast.BinOp)
                    and isinstance(op.op, ast.Mod)
                    and isinstance(op.left, ast.Call)
                    and isinstance(op.left.func, ast.Name)
                    and op.left.func.id in lazy_names
                    and not any(isinstance(n, ast.Lambda) for n in ast.walk(node) if n is not op)
                ):
                    found.append(f"{path.relative_to(ROOT)}:{op.lineno}")
    assert not found, "a lazy sentence formatted at import (format it when read): " + ", ".join(found)
