"""Expert keywords stored as readable JSON text (searchable for Chinese on SQLite) and trigram-indexed on
PostgreSQL (the expert pool search)."""

from django.db import migrations, models

import kechuang.core.jsontext
from kechuang.core.jsontext import rewrite_json_columns
from kechuang.core.trigram import trigram_index


class Migration(migrations.Migration):
    dependencies = [("review", "0001_initial"), ("accounts", "0002_trigram_search")]

    operations = [
        migrations.AlterField(
            model_name="expertprofile",
            name="keywords",
            field=models.JSONField(
                blank=True,
                default=list,
                encoder=kechuang.core.jsontext.UnicodeJSONEncoder,
                verbose_name="研究方向关键词",
            ),
        ),
        migrations.RunPython(
            rewrite_json_columns("review_expertprofile", ["keywords"]), migrations.RunPython.noop
        ),
        trigram_index("review_expertprofile_keywords_trgm", "review_expertprofile", "keywords"),
    ]
