from django.apps import AppConfig

from kechuang.core import ui


class EvaluationConfig(AppConfig):
    name = "kechuang.evaluation"
    label = "evaluation"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from kechuang.core import display

        from .selectors import contract_performance_panel, platform_results_panel, record_panel

        display.register_words(
            verbs={"contracts_set": _("设置参评项目")},
            keys={"contracts": _("参评项目"), "projects": _("项目"), "project": _("项目数据")},
        )

        # platforms sits below evaluation: its detail page shows our results through this panel
        ui.register_panel("platforms.detail", platform_results_panel)
        # … and so do challenges' project page and accounts' unit and person pages (project performance)
        ui.register_panel("challenges.contract_detail", contract_performance_panel)
        ui.register_panel("accounts.unit_detail", record_panel)
        ui.register_panel("accounts.user_detail", record_panel)
