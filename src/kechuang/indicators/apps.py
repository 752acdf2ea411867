from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class IndicatorsConfig(AppConfig):
    name = "kechuang.indicators"
    label = "indicators"

    def ready(self):

        from kechuang.core import display

        display.register_words(
            actions={"index_run.analyse": pgettext_lazy("审计", "进行不确定性与敏感性分析")}
        )
