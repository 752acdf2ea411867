"""Externally entered review subjects' cities to the prefecture-level division's Chinese name
(core.divisions.city_normalise), as experts' (review.0009), units' and platforms' are: 太原, Taiyuan and 140100
all become 太原市, so the same-city rule compares them with the experts'; a name two provinces share (Taizhou)
is read within the province of the subject's unit. A value that names no division is kept as it was (flagged:
divisions.city_is_flagged); a new one is refused (ExternalSubject.clean)."""

from django.db import migrations


def to_names(apps, schema_editor):
    from kechuang.core import divisions

    Subject = apps.get_model("review", "ExternalSubject")
    rows = Subject.objects.exclude(city="").values_list("pk", "city", "unit__province")
    for pk, city, province in rows:
        name = divisions.city_normalise(city, province if divisions.get(province) else None)
        if name == city.strip():
            name = divisions.city_normalise(city)  # a city outside the unit's province
        if name != city:
            Subject.objects.filter(pk=pk).update(city=name)


class Migration(migrations.Migration):
    dependencies = [("review", "0009_expert_city_names")]

    # Back: the names stay (太原市 was a city as typed before, too).
    operations = [migrations.RunPython(to_names, migrations.RunPython.noop)]
