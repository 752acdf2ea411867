"""A fixed-window counter in the cache: how many times a key was hit in the current window.

Used for the per-address limit on sign-in attempts (accounts.views.LoginView), beside django-axes' lockout of
one user name from one address. The API has DRF's throttles (settings REST_FRAMEWORK). With several
processes the cache must be shared (CACHE_URL=redis://...), as in production.
"""

import ipaddress
import time

from django.core.cache import cache


def hit(scope: str, ident: str, *, limit: int, window: int) -> int | None:
    """Count one hit of `ident` in `scope`. None while within `limit` hits per `window` seconds; otherwise
    the seconds until the window ends (for Retry-After). A limit of 0 turns the check off."""
    if limit <= 0 or window <= 0:
        return None
    now = int(time.time())
    start = now - now % window
    key = f"kechuang:rl:{scope}:{ident}:{start}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 1)
        count = 1
    if count > limit:
        return max(1, start + window - now)
    return None


def client_ip(request) -> str | None:
    """The client's address, or None when no valid one is known. Behind NUM_PROXIES trusted proxies
    (REST_FRAMEWORK["NUM_PROXIES"], as DRF's throttles read it) it is the address the outermost of them saw,
    taken from X-Forwarded-For; otherwise REMOTE_ADDR. axes uses it too (AXES_CLIENT_IP_CALLABLE), so every
    limit counts the same address. Anything that is not an IP address (a forged header, a test client with no
    REMOTE_ADDR) is never returned: axes stores the value in an IP-address column, which PostgreSQL checks."""
    from django.conf import settings

    candidates = []
    proxies = int(getattr(settings, "REST_FRAMEWORK", {}).get("NUM_PROXIES") or 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            candidates.append(hops[-min(proxies, len(hops))])
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None
