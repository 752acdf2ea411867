"""Settings shared by every environment. Everything secret or site-specific comes from the environment."""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

SRC_DIR = Path(__file__).resolve().parent.parent  # src/kechuang
PROJECT_DIR = SRC_DIR.parent.parent  # the checkout
VAR_DIR = Path(environ.Env().str("KECHUANG_VAR_DIR", default=str(PROJECT_DIR / "var")))

env = environ.Env()

SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=env.bool("DEBUG", default=False))
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "kechuang.core",
    "kechuang.accounts",
    "kechuang.integrity",
    "kechuang.web",
    "kechuang.platforms",
    "kechuang.challenges",
    "kechuang.review",
    "kechuang.evaluation",
    "kechuang.techmap",
    "kechuang.indicators",
    "kechuang.ingest",
    "kechuang.funds",
    "kechuang.programmes",
    "kechuang.documents",
    "kechuang.registry",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Beside Django's security headers: the browser features no page uses are refused (docs/security.md §1).
    "kechuang.core.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "kechuang.core.middleware.RequestSizeLimitMiddleware",
    "kechuang.core.dbrouter.ReplicaReadMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A signed-in person's pages, API answers and files are not stored by the browser (docs/security.md §14).
    "kechuang.core.middleware.PrivateNoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kechuang.core.middleware.LanguageSwitchMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # A session that still owes its second factor reaches only the pages that settle it (docs/accounts.md).
    "kechuang.accounts.middleware.SecondFactorMiddleware",
    # A redirect to sign in after the session timed out says so (lapsed=1; the sign-in page tells the person).
    "kechuang.accounts.middleware.SessionLapsedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kechuang.core.middleware.RequestContextMiddleware",
    # Last, so that a locked-out login is answered before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kechuang.urls"
WSGI_APPLICATION = "kechuang.wsgi.application"
ASGI_APPLICATION = "kechuang.asgi.application"

# Forms render with Django's templates; a select's empty choice in words, not "---------" (core.renderers).
FORM_RENDERER = "kechuang.core.renderers.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kechuang.web.context_processors.navigation",
                "kechuang.core.limits.context",
            ],
        },
    }
]

# SQLite under var/ is the embedded default; DATABASE_URL switches to PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'kechuang.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            # WAL and a busy timeout let the web process and a job write without "database is locked".
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# PostgreSQL keeps each process's connection for a minute (issue #19): a new connection forks a server process
# per request, 5-25 ms of every page on a busy 2-core machine (benchmarks/RESULTS.md §14c); the health
# check (one `SELECT 1` before a kept connection is reused by a request) replaces a connection the server
# dropped without failing the request. SQLite opens its file in microseconds: one per request, as before.
_PG = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60 if _PG else 0))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", env.bool("CONN_HEALTH_CHECKS", default=True))
# PostgreSQL read replicas (comma-separated URLs): reading requests read there, unless the person wrote a
# moment ago (kechuang.core.dbrouter; docs/deployment.md). Tests mirror them onto the primary.
KECHUANG_READ_REPLICAS: list[str] = []
for _n, _url in enumerate(env.list("DATABASE_REPLICA_URLS", default=[]), start=1):
    _alias = f"replica{_n}"
    DATABASES[_alias] = {
        **env.db_url_config(_url),
        "ATOMIC_REQUESTS": False,
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": DATABASES["default"]["CONN_HEALTH_CHECKS"],
        "TEST": {"MIRROR": "default"},
    }
    KECHUANG_READ_REPLICAS.append(_alias)
DATABASE_ROUTERS = ["kechuang.core.dbrouter.ReplicaRouter"]
KECHUANG_REPLICA_PIN_SECONDS = env.int("KECHUANG_REPLICA_PIN_SECONDS", default=10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend, reading the person's roles and unread notifications with the user (issue #19)
    "kechuang.accounts.backends.RolesModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The optional TOTP second factor (django-otp): required of department staff when on (prod.py turns it on).
KECHUANG_OTP_REQUIRED_FOR_STAFF = env.bool("KECHUANG_OTP_REQUIRED_FOR_STAFF", default=False)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="科创 Kechuang")
# After a wrong code django-otp doubles the wait before the next try (1, 2, 4 … s) without end: someone who
# has only the password could push the real person's wait to days. The doubling stops at the last step not
# above this many seconds (256 s for 300); each wrong code also counts as a failed sign-in for axes (below),
# and the person is told after KECHUANG_OTP_ALERT_FAILURES wrong codes in a row (docs/security.md §13).
KECHUANG_OTP_MAX_WAIT_SECONDS = env.int("KECHUANG_OTP_MAX_WAIT_SECONDS", default=300)
KECHUANG_OTP_ALERT_FAILURES = env.int("KECHUANG_OTP_ALERT_FAILURES", default=5)
# API tokens expire this many days after issue (docs/accounts.md); a password change revokes them.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=30)
# A password-reset link works this long (Django's signed, single-use token; whoever reads the mailbox can use
# it, so it is short: 2 hours, docs/security.md); an invitation to set a first password works longer (a new
# person may open it days later; accounts.links). Hours, a fraction allowed (0.5 = 30 minutes).
PASSWORD_RESET_TIMEOUT = int(env.float("PASSWORD_RESET_HOURS", default=2) * 3600)
KECHUANG_INVITATION_TIMEOUT = int(env.float("KECHUANG_INVITATION_HOURS", default=72) * 3600)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:home"

# Lockout after repeated failed logins: 5 failures for one user name from one address lock it for 30 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# People sign in with their e-mail address (or, for scripts, the login name): axes counts failures against the
# account, whatever of these was typed and in whatever letter case (docs/adr/0017).
AXES_USERNAME_CALLABLE = "kechuang.accounts.backends.lockout_name"
# A sign-in succeeds only when every factor it owes has: axes' failures (wrong passwords and wrong codes) are
# cleared by accounts.second_factor when nothing more is owed, not by the password step alone (which would
# let a person holding the password clear the count of wrong codes by signing in again).
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "kechuang.core.ratelimit.client_ip"
# The proxies in front, as CIDRs (comma-separated in the environment). Only a request that comes from one of
# them has its X-Forwarded-For read (from the right, up to the first hop that is not a trusted proxy): the
# client address of the audit trail, axes' lockout, the sign-in limit and the API throttles
# (core.ratelimit.client_ip). Empty: REMOTE_ADDR is the client. prod.py trusts the loopback by default.
KECHUANG_TRUSTED_PROXIES = env.list("KECHUANG_TRUSTED_PROXIES", default=[])
# The key of the audit trail's hash chain (HMAC-SHA256, core.auditchain). Empty: derived from SECRET_KEY, so
# changing SECRET_KEY then needs `kechuang audit reseal` (docs/security.md). Keep it out of the database.
KECHUANG_AUDIT_KEY = env.str("KECHUANG_AUDIT_KEY", default="")
# Per address, whatever the user names: at most this many sign-in posts per window (0: off). See docs/security.md.
LOGIN_IP_MAX_ATTEMPTS = env.int("LOGIN_IP_MAX_ATTEMPTS", default=30)
LOGIN_IP_WINDOW = env.int("LOGIN_IP_WINDOW", default=300)
# Per recipient: at most this many e-mails that someone not signed in caused (a password reset, a registration
# naming the address) go to one address per window, whoever asks (0: off). See docs/security.md §22.
KECHUANG_MAIL_TO_ADDRESS_MAX = env.int("KECHUANG_MAIL_TO_ADDRESS_MAX", default=5)
KECHUANG_MAIL_TO_ADDRESS_WINDOW = env.int("KECHUANG_MAIL_TO_ADDRESS_WINDOW", default=3600)
# A person not on staff may have at most this many units they added (an expert's past unit not in the library)
# waiting for staff verification at once (0: no bound). See docs/security.md §22.
KECHUANG_UNITS_ADDED_WAITING_MAX = env.int("KECHUANG_UNITS_ADDED_WAITING_MAX", default=5)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Permissions-Policy (core.middleware.PermissionsPolicyMiddleware): no page uses any of these features (the
# print button is window.print, no feature), so each is refused to every page and every frame; a feature →
# the origins allowed ("self"), none for refused. Only features Chromium recognises: an unknown one is a
# console error, which fails the browser tests.
KECHUANG_PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# Content Security Policy (django-csp 4), in every environment so that the browser tests see any violation.
# Scripts and styles come from our own static files (HTMX and ECharts are vendored) or carry the request's
# nonce (`nonce="{{ request.csp_nonce }}"`); no inline event handler, no style attribute, no eval.
# The API docs pages relax style-src for their bundled UI (kechuang.urls). See docs/security.md.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# One written form per kind and language: 2026年12月4日 / 2026年12月4日 22:32; 4 Dec 2026 / 4 Dec 2026 22:32
# (templates: {{ d|date }}, {{ t|date:"DATETIME_FORMAT" }}; Python text: kechuang.core.dates).
FORMAT_MODULE_PATH = ["kechuang.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Upload limits (docs/security.md). Form fields other than files: 5 MB; files above 2.5 MB go to a temporary
# file instead of memory; a whole request above KECHUANG_MAX_REQUEST_BYTES is refused with 413 before it is
# read (core.middleware). Each upload field has its own limit, checked with its content (core.uploads).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2621440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 100
KECHUANG_MAX_REQUEST_BYTES = env.int("KECHUANG_MAX_REQUEST_BYTES", default=200 * 1024 * 1024)
# A JSON body an API call posts: 1 MB, 4 MB where a view takes a programme form's answers (core.limits,
# core.api.JSONParser); refused with 413 and the bound in words (before: only DATA_UPLOAD_MAX_MEMORY_SIZE's 5 MB).
KECHUANG_JSON_BODY_MAX = env.int("KECHUANG_JSON_BODY_MAX", default=1024 * 1024)
# The public's dashboard cards (anonymous home page) are cached this many seconds; 0 turns the cache off.
KECHUANG_PUBLIC_CARDS_SECONDS = env.int("KECHUANG_PUBLIC_CARDS_SECONDS", default=60)
# A signed-in person's dashboard is cached this long at most, under the audit trail's newest event (any
# audited change counts it afresh); 0 turns the cache off.
KECHUANG_DASHBOARD_SECONDS = env.int("KECHUANG_DASHBOARD_SECONDS", default=600)
KECHUANG_MAX_UPLOAD_BYTES = env.int(
    "KECHUANG_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024
)  # reports, attachments
KECHUANG_MAX_IMPORT_BYTES = env.int(
    "KECHUANG_MAX_IMPORT_BYTES", default=10 * 1024 * 1024
)  # Excel/CSV imports
KECHUANG_MAX_EVIDENCE_BYTES = env.int("KECHUANG_MAX_EVIDENCE_BYTES", default=10 * 1024 * 1024)  # evidence
# Zip containers (.docx, .xlsx): what they may unpack to, in all and as a multiple of their size (core.uploads);
# a .gz given to `index import` may unpack to the same total (indicators.tables).
KECHUANG_MAX_UNCOMPRESSED_BYTES = env.int("KECHUANG_MAX_UNCOMPRESSED_BYTES", default=200 * 1024 * 1024)
KECHUANG_MAX_COMPRESSION_RATIO = env.float("KECHUANG_MAX_COMPRESSION_RATIO", default=100.0)
# An Excel/CSV import reads at most this many data rows and header columns (core.excel.read_table): a sheet
# may claim any size in a few bytes, and each row read is kept until the whole file is checked.
KECHUANG_MAX_IMPORT_ROWS = env.int("KECHUANG_MAX_IMPORT_ROWS", default=100_000)
KECHUANG_MAX_IMPORT_COLUMNS = env.int("KECHUANG_MAX_IMPORT_COLUMNS", default=500)
# A list's 导出 Excel writes at most this many rows (core.exports); the sheet says when rows were left out.
KECHUANG_EXPORT_MAX_ROWS = env.int("KECHUANG_EXPORT_MAX_ROWS", default=100_000)

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="kechuang@localhost")
# The site's address as people reach it: e-mails carry absolute links on it (core.notifications).
# The registering office's administrative division code, in registration numbers (kechuang.registry.numbers).
KECHUANG_REGION_CODE = env.str("KECHUANG_REGION_CODE", default="140000")
# The department's own province (docs/deployment.md): the indicators' home region — the province whose targets
# the dashboards show and the indicator dashboard opens on — and the province whose platforms the dashboard's
# registry card counts (others are a comparison). A region of the regions list named by its GB/T 2260 code or by
# its name (140000, 山西省, Shanxi); unset, the registering office's code above. Read where it is used
# (core.divisions.home_code), never copied at import. A value no region of the list has is said on the page.
KECHUANG_HOME_REGION = env.str("KECHUANG_HOME_REGION", default=KECHUANG_REGION_CODE)
KECHUANG_SITE_URL = env.str("KECHUANG_SITE_URL", default="http://127.0.0.1:8000")
# Official documents (kechuang.documents): the issuing organ printed on them, and the public verification page's
# limit per client address (requests per window of seconds; 0 turns it off). The QR code points at
# KECHUANG_SITE_URL/documents/verify/<code>/.
KECHUANG_ISSUER = env.str("KECHUANG_ISSUER", default="省科学技术厅")
KECHUANG_VERIFY_RATE = env.int("KECHUANG_VERIFY_RATE", default=30)
KECHUANG_VERIFY_WINDOW = env.int("KECHUANG_VERIFY_WINDOW", default=60)
# Open data (docs/opendata.md): the contact the OAI-PMH Identify answer names (adminEmail: an address with a
# dotted domain, as OAI-PMH requires).
KECHUANG_OAI_ADMIN_EMAIL = env.str("KECHUANG_OAI_ADMIN_EMAIL", default="opendata@kechuang.invalid")
# A notification e-mail that fails is retried this many times (a growing multiple of the seconds apart, with a
# broker; at once when jobs run in-process), then recorded as failed and shown to staff.
KECHUANG_EMAIL_RETRIES = env.int("KECHUANG_EMAIL_RETRIES", default=3)
KECHUANG_EMAIL_RETRY_SECONDS = env.int("KECHUANG_EMAIL_RETRY_SECONDS", default=60)

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://kechuang")}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an unauthenticated API call gets 401 with a WWW-Authenticate header.
        "kechuang.accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # DRF's three, with JSON nested too deep refused as malformed rather than a 500 (core.api.JSONParser)
    "DEFAULT_PARSER_CLASSES": [
        "kechuang.core.api.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "kechuang.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "kechuang.core.api.OrderingFilter",  # never by a field some callers are not shown
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "kechuang.core.api.exception_handler",
    # Every API call counts against its address (anonymous) or user; views with a throttle_scope also against
    # that scope: "auth" (the token endpoint, per address) and "expensive" (uploads and imports, per user).
    "DEFAULT_THROTTLE_CLASSES": [
        "kechuang.core.throttling.AnonRateThrottle",
        "kechuang.core.throttling.UserRateThrottle",
        "kechuang.core.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="600/minute"),
        "user": env.str("API_THROTTLE_USER", default="6000/minute"),
        "auth": env.str("API_THROTTLE_AUTH", default="20/minute"),
        "expensive": env.str("API_THROTTLE_EXPENSIVE", default="30/minute"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kechuang API",
    "DESCRIPTION": "科创 — the JSON API of the regional innovation platform. Every 4xx has the body "
    '{"error": {"code", "message", "fields"}}.',
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "kechuang.core.schema.add_error_responses",
    ],
    # Several models have a `kind` or `status` field with their own choices: name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "UnitKindEnum": "kechuang.accounts.models.Unit.Kind",
        "AttachmentKindEnum": "kechuang.challenges.models.applications.Attachment.Kind",
        "ApplicationPartnerRoleEnum": "kechuang.challenges.models.applications.ApplicationPartner.Role",
        "ObjectionStatusEnum": "kechuang.challenges.models.calls.Objection.Status",
        "ChangeRequestKindEnum": "kechuang.challenges.models.projects.ChangeRequest.Kind",
        "ChangeRequestStatusEnum": "kechuang.challenges.models.projects.ChangeRequest.Status",
        "ResultKindEnum": "kechuang.challenges.models.projects.Result.Kind",
        "TransferKindEnum": "kechuang.challenges.models.projects.Transfer.Kind",
        "CampaignStatusEnum": "kechuang.evaluation.models.Campaign.Status",
        "DocumentStatusEnum": "kechuang.ingest.models.Document.Status",
        "FactKindEnum": "kechuang.ingest.models.Fact.Kind",
        "FactStatusEnum": "kechuang.ingest.models.Fact.Status",
        "MentionKindEnum": "kechuang.ingest.models.Mention.Kind",
        "PlatformKindEnum": "kechuang.platforms.models.Kind",
        "PlatformStatusEnum": "kechuang.platforms.models.Status",
        "AchievementKindEnum": "kechuang.platforms.models.Achievement.Kind",
        "YearlyReportStatusEnum": "kechuang.platforms.models.YearlyReport.Status",
        "ReorganisationKindEnum": "kechuang.platforms.models.Reorganisation.Kind",
        "ExpertProfileStatusEnum": "kechuang.review.models.ExpertProfile.Status",
        "ExpertCreditKindEnum": "kechuang.review.models.ExpertCredit.Kind",
        "RoundStatusEnum": "kechuang.review.models.Round.Status",
        "AssignmentStatusEnum": "kechuang.review.models.Assignment.Status",
        "ReviewStatusEnum": "kechuang.review.models.Review.Status",
        "TrlRecordKindEnum": "kechuang.techmap.models.TrlRecord.Kind",
        "CoverageKindEnum": "kechuang.techmap.models.Coverage.Kind",
        # two "RecordStatus" choices: a fact's entry into records and an integrity finding's force
        "FactRecordStatusEnum": "kechuang.ingest.models.Fact.RecordStatus",
        "IntegrityRecordStatusEnum": "kechuang.integrity.workflow.RecordStatus",
        "RoundModeEnum": "kechuang.review.models.rounds.Round.Mode",
        "ResultRegistrationStageEnum": "kechuang.registry.models.ResultRegistration.Stage",
        "ScoreSourceEnum": "kechuang.evaluation.models.Score.Source",
        # a budget adjustment moves money from one standard line to another: both fields are budget lines
        "BudgetLineEnum": "kechuang.funds.models.Line",
        # two "industry" fields: a need's or topic's key industry and a registered result's economic section
        "ChallengeIndustryEnum": "kechuang.challenges.industries.CHOICES",
        "ResultIndustryEnum": "kechuang.registry.models.Industry",
    },
}

# Background work: Celery with Redis in production. With no broker configured, tasks run eagerly in-process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict = {}
# A running job whose process is on another host and has shown no heartbeat (progress) for this long is
# marked failed "worker lost" by the reaper (`kechuang beat`, worker start); on the same host it is exact.
JOB_LOST_AFTER = env.int("JOB_LOST_AFTER", default=3600)
# Crash tests pause a write at a named point (kechuang.core.faults) so they can kill the process inside its
# transaction. Never read from the environment: only settings/test.py turns it on; prod.py pins it off.
FAULT_INJECTION = False
# `kechuang demo` and `kechuang gendata` make accounts with passwords printed in the README; production settings
# refuse them unless the site is a demonstration (docs/security.md §14).
KECHUANG_DEMO_DATA = env.bool("KECHUANG_DEMO_DATA", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "kechuang": {
            "handlers": ["console"],
            "level": env.str("LOG_LEVEL", default="INFO"),
            "propagate": False,
        },
        "jieba": {"level": "WARNING"},
    },
}
CSRF_FAILURE_VIEW = "kechuang.web.views.csrf_failure"
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="kechuang")
