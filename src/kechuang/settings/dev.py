"""The embedded default: SQLite under var/, debug on, e-mail to the console, jobs run in-process."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=env.bool("DEBUG", default=True))
# A fixed key only for the local embedded site; prod.py refuses to start without SECRET_KEY.
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-kechuang-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: F405
