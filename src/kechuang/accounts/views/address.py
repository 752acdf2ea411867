"""The link mailed to a new address staff gave a person (docs/security.md §20): opened while signed in as that
person (with the old address, which still works), one press makes it their address."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed
from django.shortcuts import render

from kechuang.core.exceptions import ApplicationError, error_text

from .. import services


@login_required
def email_change_confirm(request, token):
    """A forged, expired or outdated link, or one for someone else's account, is 400 and says only that it is
    invalid (the same page for each). A POST confirms (mail scanners open links: opening confirms nothing)."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    person = services.person_for_change_token(token)
    if person is None or person.pk != request.user.pk:
        return render(request, "accounts/email_change_confirm.html", {"invalid": True}, status=400)
    if request.method == "POST":
        try:
            person = services.address_change_confirm(user=person)
        except ApplicationError as exc:
            return render(
                request,
                "accounts/email_change_confirm.html",
                {"person": person, "error": error_text(exc)},
                status=400,
            )
        return render(request, "accounts/email_change_confirm.html", {"person": person, "confirmed": True})
    return render(request, "accounts/email_change_confirm.html", {"person": person})
