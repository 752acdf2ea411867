"""tools/runtests.py's overlapping steps: a pass started before its template is built is stopped when the build
fails, and the build's failure is what the check shows and exits with; the SQLite pass's controller says when its
first worker has finished (the PostgreSQL pass starts then)."""

import importlib.util
import stat
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _runtests():
    spec = importlib.util.spec_from_file_location("runtests_under_test", ROOT / "tools" / "runtests.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_pass_waiting_on_a_template_whose_build_fails_is_stopped_and_the_build_shown(
    tmp_path, monkeypatch, capsys
):
    runtests = _runtests()
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    python = bin_ / "python"  # the build fails after a moment; the drop at the end succeeds
    python.write_text(
        "#!/bin/sh\n"
        'case "$*" in *"dbtemplate build"*) echo "migrating... boom"; sleep 1; exit 3;; esac\n'
        "exit 0\n"
    )
    python.chmod(python.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(runtests, "BIN", bin_)
    monkeypatch.setattr(runtests, "ROOT", tmp_path)
    template = runtests.Template("sqlite", {})
    assert (template.directory / "building.pid").read_text() == str(template.proc.pid)
    started = time.monotonic()
    step = runtests.Step(
        [sys.executable, "-c", "import time; print('collecting', flush=True); time.sleep(120)"],
        None,
        "pytest on SQLite",
        (template,),
    )
    with pytest.raises(SystemExit) as stopped:
        step.show()
    assert stopped.value.code == 3  # the build's exit, not the pass's
    assert time.monotonic() - started < 60  # the pass was stopped, not waited for
    assert step.proc.returncode != 0
    assert not (template.directory / "building.pid").exists()
    out = capsys.readouterr().out
    assert out.index("collecting") < out.index("=== sqlite template database") < out.index("boom")
    assert "=== sqlite template database: exit 3" in out
    template.drop()


def test_the_controller_says_when_a_worker_has_finished(tmp_path, monkeypatch):
    from kechuang.conftest import pytest_testnodedown

    signal = tmp_path / "worker-done"
    monkeypatch.delenv("KECHUANG_TEST_WORKER_DONE", raising=False)
    pytest_testnodedown(node=None, error=None)
    assert not signal.exists()
    monkeypatch.setenv("KECHUANG_TEST_WORKER_DONE", str(signal))
    pytest_testnodedown(node=None, error=None)
    assert signal.exists()
