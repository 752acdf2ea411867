"""The embedded default (`make run`): SQLite under var/, e-mail to the console, jobs run in-process.

Debug pages are off unless a developer asks for them (KECHUANG_DEBUG=1, or DJANGO_DEBUG / DEBUG): a person
trying the site sees the same Chinese 404/403/500 pages as in production, never Django's debug page that
lists every URL pattern. Static files come from the app folders through WhiteNoise in either case; uploaded
files are never served from the storage directly (docs/security.md section 3).
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("KECHUANG_DEBUG", default=env.bool("DJANGO_DEBUG", default=env.bool("DEBUG", default=False)))
# A fixed key only for the local embedded site; prod.py refuses to start without SECRET_KEY.
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-kechuang-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: F405
# Static files without collectstatic (runserver's own static view is off: whitenoise.runserver_nostatic).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
