"""The performance groups of the shipped frameworks (第一梯队 …, 创新领先者 …) get their English name (`label_en`,
kechuang.indicators.builder.BAND_EN) in the frameworks, framework versions and index runs stored before the
framework files carried it, so an English page names the group in English. A group already with an English
name, or named in staff's own words the table does not know, is left as it is. The audit trail says it once,
after the migrate run (core.migrating)."""

from django.db import migrations


def _named(bands) -> bool:
    """Give each known group of `bands` (a list of dicts) its English name; True when one changed."""
    from kechuang.indicators.builder import BAND_EN

    changed = False
    for band in bands if isinstance(bands, list) else []:
        if isinstance(band, dict) and not band.get("label_en") and band.get("label") in BAND_EN:
            band["label_en"] = BAND_EN[band["label"]]
            changed = True
    return changed


def _spec_bands(spec):
    method = spec.get("method") if isinstance(spec, dict) else None
    groups = method.get("groups") if isinstance(method, dict) else None
    return groups.get("bands") if isinstance(groups, dict) else None


def forwards(apps, schema_editor):
    from kechuang.core.migrating import migration_changed

    counts = {}
    for label, fields in (
        ("indicators.Framework", ("spec",)),
        ("indicators.FrameworkVersion", ("spec",)),
        ("indicators.IndexRun", ("spec", "outputs")),
    ):
        model = apps.get_model(label)
        n = 0
        for row in model.objects.only("pk", *fields).iterator(chunk_size=50):
            changed = [
                f
                for f in fields
                if _named(_spec_bands(getattr(row, f)) if f == "spec" else (getattr(row, f) or {}).get("bands"))
            ]
            if changed:
                model.objects.filter(pk=row.pk).update(**{f: getattr(row, f) for f in changed})
                n += 1
        counts[label] = n
    migration_changed(schema_editor, __name__, counts)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0006_eis_chinese_names"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
