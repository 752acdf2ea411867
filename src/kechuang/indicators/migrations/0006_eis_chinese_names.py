"""The EIS 2023 indicators and units imported before the project had their Chinese names (named in English in both
languages) get them now (kechuang.indicators.eis_names). Only rows still named exactly as the file names them in
English are touched: a name a person changed since is kept. The audit trail says it once, after the migrate run:
the migration's name and how many indicators and regions it renamed (core.migrating)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from django.db.models import F

    from kechuang.indicators.eis_names import indicator_zh, unit_zh

    from kechuang.core.migrating import migration_changed

    Indicator = apps.get_model("indicators", "Indicator")
    Region = apps.get_model("indicators", "Region")
    indicators = regions = 0
    for pk, name in Indicator.objects.filter(name_zh=F("name_en")).values_list("pk", "name_en"):
        if indicator_zh(name) != name:
            indicators += Indicator.objects.filter(pk=pk).update(name_zh=indicator_zh(name)[:200])
    for pk, name in Region.objects.filter(region_set="eis", name=F("name_en")).values_list("pk", "name_en"):
        if unit_zh(name) != name:
            regions += Region.objects.filter(pk=pk).update(name=unit_zh(name)[:100])
    # one system event in the audit trail, after the migrate run (docs/security.md §48)
    migration_changed(
        schema_editor, __name__, {"indicators.Indicator": indicators, "indicators.Region": regions}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0005_indicator_unit_source_en"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
