"""Where a form sends the person back to: the page it came from (a `next` field), only on this site."""

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def back_or(request, fallback):
    """A redirect to the posted `next` when it is a path or URL of this site (over https when the request
    was), else to `fallback` (a URL, a model or a URL name, as `redirect` takes). A `next` of
    `//evil.example/` or `https://evil.example/` would otherwise send a person who just acted here to a page
    made to look like the next step (an open redirect)."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)
