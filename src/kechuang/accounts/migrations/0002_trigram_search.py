"""Trigram indexes for the name searches over users and units (PostgreSQL only; nothing on SQLite)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from kechuang.core.trigram import trigram_index


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        TrigramExtension(),  # CreateExtension does nothing on databases other than PostgreSQL
        trigram_index("accounts_user_full_name_trgm", "accounts_user", "full_name"),
        trigram_index("accounts_user_username_trgm", "accounts_user", "username"),
        trigram_index("accounts_unit_name_trgm", "accounts_unit", "name"),
    ]
