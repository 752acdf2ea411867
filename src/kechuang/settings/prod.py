"""Production: PostgreSQL from DATABASE_URL, Redis broker, HTTPS only. Refuses to start without a secret."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, env

DEBUG = False
FAULT_INJECTION = False  # crash-test pauses can never be switched on in production, whatever the environment
# No demo or generated accounts (their passwords are in the README): KECHUANG_DEMO_DATA=1 only on a demonstration site.
KECHUANG_DEMO_DATA = env.bool("KECHUANG_DEMO_DATA", default=False)
if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment (at least 50 characters).")

# HTTPS only, behind a proxy that terminates TLS and sets X-Forwarded-Proto (see docs/security.md).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# One year of HSTS over every subdomain, with the preload flag. Preload only takes effect once the domain is
# submitted to the browsers' list (hard to undo); a site whose subdomains are not all HTTPS yet sets
# SECURE_HSTS_PRELOAD=0 (and SECURE_HSTS_INCLUDE_SUBDOMAINS=0); `check --deploy` then warns W021, as it should.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# One proxy in front sets X-Forwarded-For: rate limits and lockouts count the client, not the proxy.
# The proxy in front (nginx on the same host by default); KECHUANG_TRUSTED_PROXIES=10.0.0.0/8,... for others.
KECHUANG_TRUSTED_PROXIES = env.list("KECHUANG_TRUSTED_PROXIES", default=["127.0.0.1/32", "::1/128"])
# Department staff sign in with a second factor (TOTP, django-otp); KECHUANG_OTP_REQUIRED_FOR_STAFF=0 turns it off.
KECHUANG_OTP_REQUIRED_FOR_STAFF = env.bool("KECHUANG_OTP_REQUIRED_FOR_STAFF", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# HTMX reads the CSRF token from the page (hx-headers), never from the cookie: the cookie can be HttpOnly.
CSRF_COOKIE_HTTPONLY = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
