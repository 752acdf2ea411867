import logging
import uuid

from . import context

logger = logging.getLogger("kechuang.request")


class PermissionsPolicyMiddleware:
    """`Permissions-Policy`: the browser features no page of the platform uses (camera, microphone, location,
    payment, USB, ...) are refused to every page and to anything a page might embed (docs/security.md §1).
    A view that sets its own header keeps it. The list is `KECHUANG_PERMISSIONS_POLICY` (feature → allowed
    origins; empty: none); only features Chromium knows are named, since an unknown one is a console error."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        policy = getattr(settings, "KECHUANG_PERMISSIONS_POLICY", {})
        self.header = ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())

    def __call__(self, request):
        response = self.get_response(request)
        if self.header and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.header
        return response


class RequestContextMiddleware:
    """Gives every request an id of the server's own (echoed as X-Request-ID) and makes the client address
    the trusted proxies vouch for (core.ratelimit.client_ip) known to the audit trail.

    A client's X-Request-ID is never taken as the id (the trail would store whatever a client wrote); it is
    logged beside the server's id as `client_request_id`, an untrusted field, for correlation."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .ratelimit import client_ip

        request_id = uuid.uuid4().hex
        request.request_id = request_id
        sent = request.headers.get("X-Request-ID", "")
        if sent:
            logger.info(
                "request %s carries a client X-Request-ID",
                request_id,
                extra={"request_id": request_id, "client_request_id": sent[:200]},
            )
        token = context.set_current(
            context.RequestContext(ip_address=client_ip(request), request_id=request_id, request=request)
        )
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-ID"] = request_id
        return response


def set_language_cookie(response, language: str) -> None:
    """The cookie LanguageSwitchMiddleware reads, set as Django's set_language view (the page switch) sets it."""
    from django.conf import settings

    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class LanguageSwitchMiddleware:
    """Simplified Chinese unless the person chose another language with the switch (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language; the department's site is Chinese
    first whatever the browser says, and English is a choice.

    A sign-in sets the cookie to the person's own language (accounts: `request.language_on_sign_in`, set
    when they sign in), so the pages start in it, unless the visit already chose one with the switch (kept);
    the switch changes it again for the rest of the visit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        signed_in_as = getattr(request, "language_on_sign_in", "")
        # A language chosen with the switch on this visit (before signing in) holds for the visit; without one
        # the pages start in the person's own.
        if signed_in_as in supported and chosen not in supported:
            set_language_cookie(response, signed_in_as)
        response.headers.setdefault("Content-Language", language)
        patch = response.get("Vary", "")
        if "Cookie" not in patch:
            response["Vary"] = f"{patch}, Cookie" if patch else "Cookie"
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request whose body is larger than KECHUANG_MAX_REQUEST_BYTES with 413 and the reason.

    Django limits the in-memory form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams uploaded files to disk
    whatever their size; this stops an oversized upload before it is read. Each upload field has its own,
    smaller limit (core.uploads). The proxy in front should refuse the same size (docs/security.md).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        limit = int(getattr(settings, "KECHUANG_MAX_REQUEST_BYTES", 200 * 1024 * 1024))
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return _too_large_response(request, length, limit)
        return self.get_response(request)


def _too_large_response(request, length: int, limit: int):
    from django.http import HttpResponse, JsonResponse
    from django.utils.html import escape
    from django.utils.translation import gettext as _

    from .api import error_body

    message = _("请求过大：%(size).1f MB，上限 %(limit).1f MB。") % {
        "size": length / 1048576,
        "limit": limit / 1048576,
    }
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("request_too_large", message), status=413)
    return HttpResponse(
        f'<!DOCTYPE html><html lang="zh-hans"><meta charset="utf-8"><title>413</title><p>{escape(message)}</p>'
        f'<p><a href="/">{escape(_("返回首页"))}</a></p></html>',
        status=413,
    )


class PrivateNoStoreMiddleware:
    """What a signed-in person reads is not kept by the browser or a cache on the way: the answer to a request
    that carries the session cookie or an `Authorization` header (an API token) is `Cache-Control: private,
    no-store` (Django's never-cache headers), so after signing out on a shared computer the back button and
    the disk cache show nothing of it (docs/security.md §14). A view that sets its own Cache-Control keeps
    it; public pages read anonymously and the static files (WhiteNoise, before this) stay cacheable. Decided
    by the request's credentials, not `request.user`, so no page pays a query for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils.cache import add_never_cache_headers

        response = self.get_response(request)
        if not response.has_header("Cache-Control") and (
            settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META
        ):
            add_never_cache_headers(response)
        return response
