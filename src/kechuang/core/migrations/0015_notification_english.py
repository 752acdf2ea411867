"""A notice's title and body as an English reader reads them (`title_en`, `body_en`), so that the notification
list finds a notice by the words on either reader's page; filled for the notices already there from their
stored words (`message`: msgid and parameters), rendered in English as their page renders them. A notice with
no words of the system's (plain text, shown as it is) keeps "" and is found by its stored text."""

from django.db import migrations, models

from kechuang.core.messages import render_in

CHUNK = 2000


def fill(apps, schema_editor):
    Notification = apps.get_model("core", "Notification")
    batch = []
    rows = Notification.objects.only("id", "message").order_by("id")
    for notice in rows.iterator(chunk_size=CHUNK):
        stored = notice.message or {}
        if not isinstance(stored, dict) or not (stored.get("title") or stored.get("body")):
            continue
        notice.title_en = render_in(stored["title"], "en")[:200] if stored.get("title") else ""
        notice.body_en = render_in(stored["body"], "en") if stored.get("body") else ""
        batch.append(notice)
        if len(batch) >= CHUNK:
            Notification.objects.bulk_update(batch, ["title_en", "body_en"])
            batch = []
    if batch:
        Notification.objects.bulk_update(batch, ["title_en", "body_en"])


class Migration(migrations.Migration):
    dependencies = [("core", "0014_auditevent_object_bigrams")]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="body_en",
            field=models.TextField(blank=True, db_default="", default="", verbose_name="英文内容"),
        ),
        migrations.AddField(
            model_name="notification",
            name="title_en",
            field=models.CharField(blank=True, db_default="", default="", max_length=200, verbose_name="英文标题"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
