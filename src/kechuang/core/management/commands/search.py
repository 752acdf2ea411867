"""`kechuang search rebuild`: recompute the bigram search column (core.bigram) of every indexed row.

Rows written through their services keep the column themselves; this is for rows loaded around them (a
restore from an older backup, rows changed by hand in the database) and after a change to the tokenizer.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from kechuang.core.bigram import BigramIndexed


class Command(BaseCommand):
    help = "重建中文检索字对索引（专家、用户、单位、平台）"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild"])

    def handle(self, *args, **options):
        for model in apps.get_models():
            if not issubclass(model, BigramIndexed):
                continue
            n, batch = 0, []
            with transaction.atomic():
                for row in model._base_manager.order_by("pk").iterator(chunk_size=2000):
                    row.refresh_bigrams()
                    batch.append(row)
                    if len(batch) >= 2000:
                        model._base_manager.bulk_update(batch, ["search_bigrams"])
                        n += len(batch)
                        batch = []
                if batch:
                    model._base_manager.bulk_update(batch, ["search_bigrams"])
                    n += len(batch)
            self.stdout.write(f"{model._meta.label}: {n}")
