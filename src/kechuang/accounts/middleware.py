"""Sessions that still owe their second factor reach only the pages that settle it (see second_factor); a
session given a role that requires it after signing in owes it from its next request (`step_up`)."""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from . import second_factor

# Path prefixes a session owing its code may still reach, and the two pages that settle it (exactly: the page
# that turns the second factor off is not one of them, docs/security.md §16).
OPEN = ("/accounts/logout/", "/static/", "/i18n/", "/healthz/")
SETTLE = ("/accounts/2fa/", "/accounts/2fa/setup/")


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        owed = request.session.get(second_factor.SESSION_KEY) if hasattr(request, "session") else None
        if not owed and hasattr(request, "session") and second_factor.may_owe(request):
            owed = second_factor.step_up(request)
        if owed and request.path not in SETTLE and not request.path.startswith(OPEN):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "error": {
                            "code": "otp_required",
                            "message": str(second_factor.OWED_MESSAGE),
                            "fields": {},
                        }
                    },
                    status=403,
                )
            target = "accounts:otp-verify" if owed == second_factor.PENDING else "accounts:otp-setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class SessionLapsedMiddleware:
    """A page that sends a person to sign in because their session timed out (the browser still sent its
    cookie, the server no longer knows it) says so in the sign-in address (`lapsed=1`), for the sign-in page to
    tell them; the cookie is deleted on that same answer, so the sign-in page cannot see it itself. A first
    visit carries no cookie and gets nothing added."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.shortcuts import resolve_url

        response = self.get_response(request)
        if response.status_code != 302 or not request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            return response
        location = response.get("Location", "")
        if not location.startswith(resolve_url(settings.LOGIN_URL) + "?"):
            return response
        user = getattr(request, "user", None)
        if user is not None and not user.is_authenticated and request.session.session_key is None:
            response["Location"] = location + "&lapsed=1"
        return response
