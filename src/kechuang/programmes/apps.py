from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "kechuang.programmes"
    label = "programmes"
    verbose_name = "计划类别与表单"

    def ready(self):
        from . import rules, selectors

        rules.register_eligibility("unit_verified", selectors.unit_verified_reasons)
        rules.register_eligibility(
            "no_overdue_project", selectors.overdue_reasons, bulk=selectors.overdue_reasons_many
        )
