"""Challenge.review_round_id, a plain integer, becomes a foreign key to review.Round (the same column and
values; challenges sits above review). An id that names no round any more is cleared first."""

import django.db.models.deletion
from django.db import migrations, models


def clear_dangling(apps, schema_editor):
    Challenge = apps.get_model("challenges", "Challenge")
    Round = apps.get_model("review", "Round")
    Challenge.objects.exclude(review_round_id=None).exclude(
        review_round_id__in=Round.objects.values("pk")
    ).update(review_round_id=None)


class Migration(migrations.Migration):
    dependencies = [
        ("challenges", "0003_plausible_dates"),
        ("review", "0002_unicode_json"),
    ]

    operations = [
        migrations.RunPython(clear_dangling, migrations.RunPython.noop),
        migrations.RenameField("challenge", "review_round_id", "review_round"),
        migrations.AlterField(
            model_name="challenge",
            name="review_round",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="review.round",
                verbose_name="评审轮次",
            ),
        ),
    ]
