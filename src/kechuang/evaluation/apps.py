from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "kechuang.evaluation"
    label = "evaluation"
