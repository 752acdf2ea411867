"""The embedded site's own SECRET_KEY (`make run`, settings.dev), made once per install and kept in var/.

A key written in the repository is everyone's: sessions, password-reset links and the audit chain's key
(core.auditchain derives it from SECRET_KEY) would be as open as the source. So, when the environment gives no
SECRET_KEY, the development settings read `var/secret_key`, and the first run writes it: 64 random bytes
(URL-safe text, 86 characters), the file created owner-only (0600) and never replaced; a wider file is narrowed
to 0600. var/ is not committed (.gitignore). Production (settings.prod) never reads it: it refuses to start
without SECRET_KEY in the environment.

An install from before this existed already sealed its audit trail and sessions under the fixed key that
settings.dev used to carry: when var/ holds that install's SQLite database and no key file, the old key is
written to the file instead (its trail keeps verifying) and every start says so on stderr, with how to move
to a key of its own.
"""

import os
import secrets
import sys
import time
from pathlib import Path

FILE_NAME = "secret_key"
MIN_LENGTH = 50


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


def _owner_only(path: Path) -> None:
    if os.name == "posix" and path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)


def local_secret_key(var_dir: Path, *, legacy: str, database: Path | None = None) -> str:
    """The install's key from var_dir/secret_key, writing a new random one on first use (see the module)."""
    path = Path(var_dir) / FILE_NAME
    for _attempt in range(50):
        key = _read(path)
        if len(key) >= MIN_LENGTH:
            _owner_only(path)
            if key == legacy:
                sys.stderr.write(
                    f"kechuang: {path} holds the public development key of older versions (kept because this "
                    "install's database was made with it). Sessions and the audit chain are only as secret as "
                    "the source. To use a key of its own: stop the site, note `kechuang audit verify`, delete "
                    f"{path} and the database (or set SECRET_KEY and KECHUANG_AUDIT_KEY, then "
                    "`kechuang audit reseal`), and start again.\n"
                )
            return key
        if path.exists():  # another process is writing it (two commands started at once)
            time.sleep(0.1)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        new = legacy if database is not None and database.exists() else secrets.token_urlsafe(64)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(new + "\n")
    key = _read(path)
    if len(key) < MIN_LENGTH:
        raise RuntimeError(
            f"{path} holds no key of at least {MIN_LENGTH} characters: delete it or set SECRET_KEY"
        )
    return key
