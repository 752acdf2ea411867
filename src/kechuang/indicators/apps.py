from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class IndicatorsConfig(AppConfig):
    name = "kechuang.indicators"
    label = "indicators"

    def ready(self):

        from kechuang.core import display

        from .trail import indicator_payload, run_create_payload, run_create_prepare

        display.register_words(
            actions={"index_run.analyse": pgettext_lazy("审计", "进行不确定性与敏感性分析")}
        )
        # a run's framework by its name (the event stores its code)
        display.register_payload("index_run.create", run_create_payload, prepare=run_create_prepare)
        # an import's source line (stored in Chinese) in the reader's language
        for action in ("indicator.create", "indicator.update"):
            display.register_payload(action, indicator_payload)
