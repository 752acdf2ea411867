"""Test settings: fast hashing, in-memory mail and cache, eager jobs. DATABASE_URL picks the database."""

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = False
SECRET_KEY = "test-only-key-kechuang-0123456789abcdefghijklmnopqrstuvwxyz-0123456789"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # In-memory by default; KECHUANG_TEST_SQLITE_FILE gives a file that a separate worker process can open.
    DATABASES["default"]["TEST"] = (
        {"NAME": env.str("KECHUANG_TEST_SQLITE_FILE", default="")}
        if env.str("KECHUANG_TEST_SQLITE_FILE", default="")
        else {}
    )
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # A test run's commits (the template's migrations and clones, transactional tests' flushes, the module-wide
    # role groups, the broker step's jobs) do not wait for the server's WAL flush: each waited one fsync, about
    # 5.5 ms on the CI machine's disk (pg_test_fsync, 2026-12-07). Per session, for the test databases only: a
    # crash of the PostgreSQL server itself could lose the last few commits, which no test survives anyway.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["options"] = (
        DATABASES["default"]["OPTIONS"].get("options", "") + " -c synchronous_commit=off"
    ).strip()
# One connection per request in tests, as before #19 made production keep them (threads that a test starts
# must not leave connections open past the test database's teardown); tests/test_settings_connections.py
# checks production's defaults.
for _db in DATABASES.values():
    _db["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# A replica alias mirrored onto the test database (Django's test mirror): the router sends reads there only
# when a test lists it in KECHUANG_READ_REPLICAS (tests/test_db_replicas.py); otherwise it is never used.
if "replica1" not in DATABASES:
    DATABASES["replica1"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
LOGIN_IP_MAX_ATTEMPTS = 0  # tests sign in often from one address; tests/security turn the limits on
# tests mail one address often; tests/security/test_mail_per_address.py turns the per-recipient limit on
KECHUANG_MAIL_TO_ADDRESS_MAX = 0
KECHUANG_VERIFY_RATE = 0  # likewise the public document verification page (documents' own test turns it on)
AXES_FAILURE_LIMIT = 5
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "CRITICAL"}}
FAULT_INJECTION = True  # kechuang.core.faults: the crash tests pause writes (with KECHUANG_FAULT_PAUSE)
KECHUANG_PUBLIC_CARDS_SECONDS = (
    0  # tests change data and read the cards at once (test_public_cards turns it on)
)
KECHUANG_DASHBOARD_SECONDS = (
    0  # likewise: factories write without audit events (test_dashboard_cache turns it on)
)
WHITENOISE_AUTOREFRESH = True  # serve from the app folders: tests do not run collectstatic
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None
