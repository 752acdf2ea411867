"""Units' provinces to GB/T 2260 codes (core.divisions): 山西, 山西省, Shanxi and 140000 all become 140000.
A value that names no provincial-level division is kept as it was (shown flagged for staff to fix)."""

from django.db import migrations


def to_codes(apps, schema_editor):
    from kechuang.core import divisions

    Unit = apps.get_model("accounts", "Unit")
    for value in set(Unit.objects.exclude(province="").values_list("province", flat=True)):
        code = divisions.resolve(value)
        if code is not None and code != value:
            Unit.objects.filter(province=value).update(province=code)


def to_names(apps, schema_editor):
    from kechuang.core import divisions

    Unit = apps.get_model("accounts", "Unit")
    for p in divisions.provinces():
        Unit.objects.filter(province=p.code).update(province=p.name_zh)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0009_apitoken_scope")]

    operations = [migrations.RunPython(to_codes, to_names)]
