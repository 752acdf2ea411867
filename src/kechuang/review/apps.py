from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "kechuang.review"
    label = "review"
