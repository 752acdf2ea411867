"""`make run` signs sessions, reset links and the audit chain with a key of its own, not one in the repository.

settings.dev used a fixed SECRET_KEY written in the source when the environment gave none: every demo site
shared it. Now the first run writes a random key to var/secret_key (owner-only), later runs read it, the
environment's SECRET_KEY still wins, and production refuses to start without the environment's key even when
var/ holds one."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kechuang.settings.localkey import local_secret_key

ROOT = Path(__file__).resolve().parents[2]
LEGACY = "dev-only-insecure-key-kechuang-0123456789abcdefghijklmnopqrstuvwxyz"  # pragma: allowlist secret


def _settings(module: str, var_dir: Path, **env) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "KECHUANG_AUDIT_KEY")
    }
    environment.update(
        DJANGO_SETTINGS_MODULE=module, KECHUANG_VAR_DIR=str(var_dir), PYTHONPATH=str(ROOT / "src"), **env
    )
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SECRET_KEY)"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=str(ROOT),
        timeout=120,
    )


def test_make_runs_settings_use_a_random_key_of_their_own_kept_in_var(tmp_path):
    first = _settings("kechuang.settings.dev", tmp_path / "a")
    assert first.returncode == 0, first.stderr[-2000:]
    key = first.stdout.strip().splitlines()[-1]
    assert len(key) >= 50 and key != LEGACY and "dev-only" not in key
    stored = tmp_path / "a" / "secret_key"
    assert stored.read_text().strip() == key
    if os.name == "posix":
        assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    again = _settings("kechuang.settings.dev", tmp_path / "a")
    assert (
        again.stdout.strip().splitlines()[-1] == key
    )  # kept: sessions and the audit chain survive a restart
    other = _settings("kechuang.settings.dev", tmp_path / "b")
    assert other.stdout.strip().splitlines()[-1] != key  # another install, another key


def test_the_environments_key_wins_and_nothing_is_written(tmp_path):
    given = "e" * 60
    out = _settings("kechuang.settings.dev", tmp_path, SECRET_KEY=given)
    assert out.stdout.strip().splitlines()[-1] == given
    assert not (tmp_path / "secret_key").exists()


def test_production_ignores_var_and_refuses_without_the_environments_key(tmp_path):
    (tmp_path / "secret_key").write_text("k" * 80)
    out = _settings("kechuang.settings.prod", tmp_path, ALLOWED_HOSTS="example.org")
    assert out.returncode != 0 and "SECRET_KEY must be set" in out.stderr


def test_a_wider_file_is_narrowed_and_a_short_one_refused(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("s" * 60)
    os.chmod(path, 0o644)
    assert local_secret_key(tmp_path, legacy=LEGACY) == "s" * 60
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.write_text("short")
    with pytest.raises(RuntimeError, match="secret_key"):
        local_secret_key(tmp_path, legacy=LEGACY)


def test_an_install_made_with_the_old_fixed_key_keeps_it_and_is_told(tmp_path, capsys):
    """Its audit chain and sessions were sealed with the old key: a new one would break `audit verify`."""
    database = tmp_path / "kechuang.sqlite3"
    database.write_bytes(b"")
    assert local_secret_key(tmp_path, legacy=LEGACY, database=database) == LEGACY
    assert "public development key" in capsys.readouterr().err
    fresh = tmp_path / "fresh"
    assert local_secret_key(fresh, legacy=LEGACY, database=fresh / "kechuang.sqlite3") != LEGACY
