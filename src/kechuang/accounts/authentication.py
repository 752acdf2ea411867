"""API authentication by expiring, revocable tokens (models.ApiToken; docs/accounts.md, "API tokens")."""

from rest_framework import authentication, exceptions

from . import services


class ExpiringTokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>` with a token from `POST /api/auth/token/`: refused with the reason when
    it is unknown, revoked, expired, its owner deactivated, or the owner's password changed since issue."""

    def authenticate_credentials(self, key):
        token, reason = services.token_authenticate(key)
        if token is None:
            raise exceptions.AuthenticationFailed(reason)
        return token.user, token
