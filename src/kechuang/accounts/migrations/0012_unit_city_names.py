"""Units' cities to the prefecture-level division's Chinese name (core.divisions.city_normalise): 太原, Taiyuan
and 140100 all become 太原市 (within the record's province when it has one; a municipality's own name becomes
北京市). A value that names no division is kept as it was (shown flagged for staff to pick the city)."""

from django.db import migrations


def to_names(apps, schema_editor):
    from kechuang.core import divisions

    Model = apps.get_model("accounts", "Unit")
    pairs = set(Model.objects.exclude(city="").values_list("province", "city"))
    for province, city in pairs:
        name = divisions.city_normalise(city, province if divisions.get(province) else None)
        if name != city:
            Model.objects.filter(province=province, city=city).update(city=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0011_apitoken_last_used")]

    # Back: the names stay (太原市 was a city as typed before, too).
    operations = [migrations.RunPython(to_names, migrations.RunPython.noop)]
