from django.apps import AppConfig


class PlatformsConfig(AppConfig):
    name = "kechuang.platforms"
    label = "platforms"
