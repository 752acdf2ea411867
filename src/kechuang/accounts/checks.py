"""The accounts' system checks: accounts sharing an e-mail address (docs/adr/0017, docs/security.md §19).

People sign in with their address; an address held by two accounts names neither, so those people can sign in
only by a login name they were never told. `kechuang check --database default` warns (a database check, so
plain `check` and the start-up checks do not read the users table) and names the staff page listing them.
"""

from django.core.checks import Tags, Warning, register

DUPLICATE_EMAILS = "kechuang.W003"


@register(Tags.database)
def duplicate_emails_check(app_configs=None, databases=None, **kwargs):
    if not databases or "default" not in databases:
        return []
    from django.db.utils import DatabaseError

    from .selectors import duplicate_email_accounts

    try:
        groups = duplicate_email_accounts()
    except DatabaseError:  # not migrated yet: nothing to say
        return []
    if not groups:
        return []
    accounts = sum(len(users) for _key, users in groups)
    return [
        Warning(
            f"{len(groups)} e-mail address(es) are each held by more than one account ({accounts} accounts): "
            "people sign in with their address, and an address shared by accounts signs in none of them.",
            hint="Staff: open /accounts/users/duplicates/ and give each account its own address (or deactivate "
            "the one not used). Nothing is merged automatically.",
            id=DUPLICATE_EMAILS,
        )
    ]
