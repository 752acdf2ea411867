# Written by hand (Django 5.2): when and from where an API token was last used (shown in its list).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0010_unit_province_codes"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="last_used_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="最近使用时间"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="last_used_from",
            field=models.GenericIPAddressField(blank=True, null=True, verbose_name="最近使用地址"),
        ),
    ]
