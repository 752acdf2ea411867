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


def _networks(entries) -> tuple:
    out = []
    for entry in entries or ():
        entry = str(entry).strip()
        if entry:
            out.append(ipaddress.ip_network(entry, strict=False))
    return tuple(out)


def trusted_proxies() -> tuple:
    """The networks named by KECHUANG_TRUSTED_PROXIES (CIDRs or single addresses)."""
    from django.conf import settings

    entries = getattr(settings, "KECHUANG_TRUSTED_PROXIES", ())
    if isinstance(entries, str):
        entries = entries.split(",")
    return _networks(entries)


def _ip(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address as the trusted proxies vouch for it, or None when no valid one is known.

    REMOTE_ADDR is the peer that connected. Only when that peer is a trusted proxy (KECHUANG_TRUSTED_PROXIES)
    is X-Forwarded-For read, from the right: each hop a trusted proxy appended is believed, and the first
    hop that is not itself a trusted proxy is the client. Whatever a client writes into the header is left
    of that hop and never read; a peer that is not a trusted proxy is the client whatever headers it sends.
    The audit trail (core.middleware), axes (AXES_CLIENT_IP_CALLABLE), the sign-in limit and the API
    throttles (core.throttling) all use this one answer. Anything that is not an IP address is never
    returned: axes stores the value in an IP-address column, which PostgreSQL checks."""
    remote = _ip(request.META.get("REMOTE_ADDR", "") or "")
    if remote is None:
        return None
    proxies = trusted_proxies()
    if not proxies or not any(remote in net for net in proxies):
        return str(remote)
    client = remote
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        address = _ip(hop)
        if address is None:  # garbage where an address should be: the last address vouched for stands
            break
        client = address
        if not any(address in net for net in proxies):
            break
    return str(client)
