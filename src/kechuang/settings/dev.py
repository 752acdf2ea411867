"""The embedded default (`make run`): SQLite under var/, e-mail to the console, jobs run in-process.

Debug pages are off unless a developer asks for them (KECHUANG_DEBUG=1, or DJANGO_DEBUG / DEBUG): a person
trying the site sees the same Chinese 404/403/500 pages as in production, never Django's debug page that
lists every URL pattern. Static files come from the app folders through WhiteNoise in either case; uploaded
files are never served from the storage directly (docs/security.md section 3).
"""

from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR, env
from .localkey import local_secret_key

DEBUG = env.bool("KECHUANG_DEBUG", default=env.bool("DJANGO_DEBUG", default=env.bool("DEBUG", default=False)))
# SECRET_KEY from the environment, else this install's own random key in var/secret_key (0600, made on the
# first run; settings.localkey). The fixed key below is only what installs made before that were sealed with,
# kept for them alone (their SQLite database exists and no key file yet). prod.py refuses to start without
# SECRET_KEY in the environment.
_LEGACY_KEY = "dev-only-insecure-key-kechuang-0123456789abcdefghijklmnopqrstuvwxyz"
_db = DATABASES["default"]
SECRET_KEY = SECRET_KEY or local_secret_key(  # noqa: F405
    VAR_DIR,
    legacy=_LEGACY_KEY,
    database=Path(_db["NAME"]) if _db["ENGINE"].endswith("sqlite3") and _db["NAME"] != ":memory:" else None,
)
# Static files without collectstatic (runserver's own static view is off: whitenoise.runserver_nostatic).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
