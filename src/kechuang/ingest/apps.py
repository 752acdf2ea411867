from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "kechuang.ingest"
    label = "ingest"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from kechuang.core import display

        from .display import fact_record_payload
        from .parsers.repair import STEP_LABELS

        # an ingested document's audit payload counts its repairs by step: the steps in words, not codes
        display.register_words(keys={**STEP_LABELS, "changes": _("修复")})
        # where an accepted fact was recorded: the record by its name, not its stored key
        display.register_payload("fact.record", fact_record_payload)
