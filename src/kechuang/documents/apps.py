from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "kechuang.documents"
    label = "documents"
    verbose_name = "公文与档案"

    def ready(self):
        from kechuang.core import display, ui

        from . import selectors
        from .display import KEYS, VERBS

        display.register_words(verbs=VERBS, keys=KEYS)

        # challenges sits below: the project page shows the documents and the archive through this panel
        ui.register_panel("challenges.contract_detail", selectors.contract_panel)
