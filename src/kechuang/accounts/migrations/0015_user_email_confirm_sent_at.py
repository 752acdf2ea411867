from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0014_user_email_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_confirm_sent_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="确认邮件发送时间"),
        ),
    ]
