"""API authentication by expiring, revocable, scoped tokens (models.ApiToken; docs/accounts.md, "API tokens";
docs/security.md, "API token scopes")."""

from rest_framework import authentication, exceptions

from kechuang.core.ratelimit import client_ip

from . import scopes, services


class TokenScopeRefused(exceptions.PermissionDenied):
    """403: the token is good but its scope does not cover this call (read only, or not this area)."""


class ExpiringTokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>` with a token from `POST /api/auth/token/` or the profile page: refused
    with the reason (401) when it is unknown, revoked, expired, its owner deactivated, or the owner's password
    changed since issue; refused with the reason (403) when its scope does not cover the call.

    The scope is checked here, where a token is accepted, not in a permission class a view may replace:
    every API view authenticates through this class (REST_FRAMEWORK's default), so no endpoint can take a
    token without its scope being applied. A view that names its own authentication classes either leaves
    tokens out or names this class."""

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is None:
            return None
        user, token = found
        services.token_used(token, address=client_ip(request._request))
        view = (getattr(request, "parser_context", None) or {}).get("view")
        refused = scopes.refusal(access=token.access, areas=token.areas, method=request.method, view=view)
        if refused is not None:
            code, reason = refused
            raise TokenScopeRefused(reason, code=code)
        return user, token

    def authenticate_credentials(self, key):
        token, reason = services.token_authenticate(key)
        if token is None:
            raise exceptions.AuthenticationFailed(reason)
        return token.user, token
