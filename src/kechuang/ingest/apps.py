from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "kechuang.ingest"
    label = "ingest"
