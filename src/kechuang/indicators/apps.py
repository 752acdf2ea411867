from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class IndicatorsConfig(AppConfig):
    name = "kechuang.indicators"
    label = "indicators"

    def ready(self):

        from kechuang.core import display

        from .trail import run_create_payload, run_create_prepare

        display.register_words(
            actions={"index_run.analyse": pgettext_lazy("审计", "进行不确定性与敏感性分析")}
        )
        # a run's framework by its name (the event stores its code)
        display.register_payload("index_run.create", run_create_payload, prepare=run_create_prepare)
