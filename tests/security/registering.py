"""What the registration tests share (docs/security.md §24, §25, §28): the address registered twice — first by
its owner V, then by a stranger A with A's own password — and A's form. The fixtures (`endorser`, `register`)
are in conftest.py."""

from .test_account_enumeration import _form

VICTIM = "wang.min@example.cn"
ATTACKER_PASSWORD = "Attacker-Knows-This-9!"  # pragma: allowlist secret


def attacker_form(endorser, n=2, email=VICTIM):
    """A's registration of unit n with V's address (by default) and A's password."""
    return _form(endorser, email, n) | {"password1": ATTACKER_PASSWORD, "password2": ATTACKER_PASSWORD}
