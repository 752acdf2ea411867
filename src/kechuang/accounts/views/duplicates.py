"""Staff's list of accounts that share an e-mail address (docs/security.md §19): to resolve by hand."""

from django.shortcuts import render

from kechuang.core.permissions import role_required
from kechuang.core.roles import Role

from .. import selectors


@role_required(Role.STAFF)
def user_duplicates(request):
    """Every address held by more than one account, with each account's name, unit, state, creation and last
    sign-in (what tells the accounts apart; no login name, which no page shows), linked to the person's page
    where staff change the address. Nothing is merged or changed here."""
    return render(request, "accounts/user_duplicates.html", {"groups": selectors.duplicate_email_accounts()})
