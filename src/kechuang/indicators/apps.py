from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "kechuang.indicators"
    label = "indicators"
