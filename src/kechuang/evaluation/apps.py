from django.apps import AppConfig

from kechuang.core import ui


class EvaluationConfig(AppConfig):
    name = "kechuang.evaluation"
    label = "evaluation"

    def ready(self):
        from .selectors import platform_results_panel

        # platforms sits below evaluation: its detail page shows our results through this panel
        ui.register_panel("platforms.detail", platform_results_panel)
