from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "kechuang.ingest"
    label = "ingest"

    def ready(self):
        from django.utils.translation import gettext_lazy as _
        from django.utils.translation import pgettext_lazy

        from kechuang.core import display, uploads

        from .display import fact_edit_payload, fact_record_payload, fact_uncertain_payload
        from .parsers.repair import STEP_LABELS

        # an ingested document's audit payload counts its repairs by step: the steps in words, not codes
        # a fact read across an uncertain span: its figure checked against the original, or corrected
        display.register_words(
            keys={**STEP_LABELS, "changes": _("修复")},
            actions={
                "fact.check": pgettext_lazy("审计", "核对存疑数值后采纳事实"),
                "fact.correct": pgettext_lazy("审计", "更正存疑数值"),
                # a stored report's 存疑 count set to the marks its repaired text shows (repair37)
                "document.recount": pgettext_lazy("审计", "按修复后文本中的存疑标记重新计数"),
            },
        )
        # where an accepted fact was recorded: the record by its name, not its stored key
        display.register_payload("fact.record", fact_record_payload)
        # a fact's edit: its qualifier in the reader's language (ingest.figures)
        display.register_payload("fact.update", fact_edit_payload)
        display.register_payload("fact.check", fact_uncertain_payload)
        display.register_payload("fact.correct", fact_uncertain_payload)
        # a report's bytes are kept in the database: `kechuang uploads recheck` reads them as it reads the stored
        # files, and quarantines a report that fails today's checks (docs/security.md §40)
        from .models import Document

        uploads.register_stored_bytes(
            Document,
            "original",
            quarantine="quarantine",
            name=lambda document: uploads.report_name(document.filename, document.format),
        )
