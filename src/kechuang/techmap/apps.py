from django.apps import AppConfig


class TechmapConfig(AppConfig):
    name = "kechuang.techmap"
    label = "techmap"
