"""A unit's English name joins its bigram search column (core.bigram), so pickers and lists find a unit by the
name an English page shows (docs/adr/0018): the column refilled for existing units; no schema change."""

from django.db import migrations

from kechuang.core import bigram


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0018_unit_credit_code_message"),
    ]

    operations = [
        bigram.fill("accounts", "Unit", lambda r: [r.name, r.short_name, r.name_en]),
    ]
