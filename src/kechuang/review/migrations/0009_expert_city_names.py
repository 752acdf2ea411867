"""Experts' cities to the prefecture-level division's Chinese name (core.divisions.city_normalise), as units' and
platforms' are: 太原, Taiyuan and 140100 all become 太原市; a name two provinces share (Taizhou) is read within
the province of the expert's unit. A value that names no division is kept as it was: the profile shows it
flagged to staff (city_name) and the form keeps it, flagged, until the city is picked."""

from django.db import migrations


def to_names(apps, schema_editor):
    from kechuang.core import divisions

    Profile = apps.get_model("review", "ExpertProfile")
    rows = Profile.objects.exclude(city="").values_list("pk", "city", "user__unit__province")
    for pk, city, province in rows:
        name = divisions.city_normalise(city, province if divisions.get(province) else None)
        if name == city.strip():
            name = divisions.city_normalise(city)  # a city outside the unit's province
        if name != city:
            Profile.objects.filter(pk=pk).update(city=name)


class Migration(migrations.Migration):
    dependencies = [("review", "0008_english_names"), ("accounts", "0012_unit_city_names")]

    # Back: the names stay (太原市 was a city as typed before, too).
    operations = [migrations.RunPython(to_names, migrations.RunPython.noop)]
