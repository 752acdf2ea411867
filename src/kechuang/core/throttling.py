"""DRF's throttles, counting the client address the trusted proxies vouch for (core.ratelimit.client_ip)
instead of DRF's own reading of X-Forwarded-For (NUM_PROXIES), which believes a header a client can forge
when the app is reached without the proxy."""

from rest_framework import throttling

from .ratelimit import client_ip


class _TrustedProxyIdent:
    def get_ident(self, request):
        return client_ip(request) or "unknown"


class AnonRateThrottle(_TrustedProxyIdent, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_TrustedProxyIdent, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(_TrustedProxyIdent, throttling.ScopedRateThrottle):
    pass
