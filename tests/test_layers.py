"""The layers contract (pyproject [tool.importlinter], run by `lint-imports` in `make test`) covers every
app, and it fails when an app imports one above it."""

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "kechuang"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _contracts() -> dict[str, dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    return {c["id"]: c for c in config["contracts"]}


def _apps() -> set[str]:
    return {p.parent.name for p in PACKAGE.glob("*/apps.py")}


def test_the_layers_name_every_app_once():
    layers = _contracts()["layers"]["layers"]
    named = [app.strip() for layer in layers for app in layer.split("|")]
    assert sorted(named) == sorted(_apps())
    assert named[0] == "web" and named[-1] == "core"


def _lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(tree / "pyproject.toml")],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree / "src")},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def copy_of_the_code(tmp_path):
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(
        PACKAGE,
        tmp_path / "src" / "kechuang",
        ignore=shutil.ignore_patterns("locale", "static", "templates", "data", "demo_data", "__pycache__"),
    )
    return tmp_path


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter (dev extra) is not installed")
def test_a_backward_import_breaks_the_contract(copy_of_the_code):
    assert _lint(copy_of_the_code).returncode == 0
    # review (below challenges) reaching up into challenges, as its dataset generator once did
    target = copy_of_the_code / "src" / "kechuang" / "review" / "scoring.py"
    target.write_text(target.read_text(encoding="utf-8") + "\nimport kechuang.challenges.models  # noqa\n")
    result = _lint(copy_of_the_code)
    assert result.returncode != 0
    assert "kechuang.review is not allowed to import kechuang.challenges" in result.stdout
