"""The project's own `check --deploy` warnings (docs/security.md §16).

`KECHUANG_SITE_URL` is the address written into what leaves the site: the links of notification e-mails (a
wrong-code alert's "change your password" among them), the QR code and verification link printed on every
official document (a PDF kept and printed for years) and the open data's identifiers. Left at its default
(`http://127.0.0.1:8000`) or on plain HTTP in production, every issued document points at nothing or at a page
whose "genuine" answer anyone on the path can forge, and the e-mails send people to HTTP.
"""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.http.request import validate_host

SITE_URL_HTTPS = "kechuang.W001"
SITE_URL_HOST = "kechuang.W002"


def _loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@register(Tags.security, deploy=True)
def site_url_check(app_configs=None, **kwargs):
    url = str(getattr(settings, "KECHUANG_SITE_URL", "") or "")
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host:
        return [
            Warning(
                f"KECHUANG_SITE_URL is {url!r}: not an https:// address. Official documents' QR codes and "
                "verification links, and every link in e-mails, are written with it.",
                hint="Set KECHUANG_SITE_URL to the https:// address people reach the site at.",
                id=SITE_URL_HTTPS,
            )
        ]
    if _loopback(host) or not validate_host(host, settings.ALLOWED_HOSTS):
        return [
            Warning(
                f"KECHUANG_SITE_URL names the host {host!r}, which is a loopback name or not in ALLOWED_HOSTS: "
                "documents and e-mails would link to a site that does not answer there.",
                hint="Set KECHUANG_SITE_URL to the public https:// address, whose host is in ALLOWED_HOSTS.",
                id=SITE_URL_HOST,
            )
        ]
    return []
