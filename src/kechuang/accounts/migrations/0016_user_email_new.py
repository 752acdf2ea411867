from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0015_user_email_confirm_sent_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_new",
            field=models.EmailField(blank=True, max_length=254, verbose_name="待确认的新电子邮箱"),
        ),
        migrations.AddField(
            model_name="user",
            name="email_new_sent_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="新电子邮箱确认邮件发送时间"),
        ),
    ]
