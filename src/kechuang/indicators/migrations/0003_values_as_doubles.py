"""Indicator values and targets as doubles (ADR 0015): the columns change type in place, figures kept."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0002_framework_versions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="target",
            name="value",
            field=models.FloatField(verbose_name="目标值"),
        ),
        migrations.AlterField(
            model_name="value",
            name="value",
            field=models.FloatField(verbose_name="数值"),
        ),
    ]
