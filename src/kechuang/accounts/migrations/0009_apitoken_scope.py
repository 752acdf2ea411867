# Written by hand (Django 5.2): API token scopes (accounts.scopes; docs/security.md, "API token scopes").

from django.db import migrations, models


class Migration(migrations.Migration):
    """Tokens issued before scopes keep working as before: explicitly read and write (`access = "write"`) in
    every area (`areas = []`), the whole of what their owner may do. The default is for those rows only
    (`preserve_default=False`): a token issued from now on has its scope said by whoever issues it."""

    dependencies = [
        ("accounts", "0008_apitoken_second_factor"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="access",
            field=models.CharField(
                choices=[("read", "只读"), ("write", "读写")], default="write", max_length=5, verbose_name="权限"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="apitoken",
            name="areas",
            field=models.JSONField(blank=True, default=list, verbose_name="领域"),
        ),
    ]
