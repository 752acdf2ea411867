from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "kechuang.ingest"
    label = "ingest"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from kechuang.core import display

        from .parsers.repair import STEP_LABELS

        # an ingested document's audit payload counts its repairs by step: the steps in words, not codes
        display.register_words(keys={**STEP_LABELS, "changes": _("修复")})
