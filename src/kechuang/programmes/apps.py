from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "kechuang.programmes"
    label = "programmes"
    verbose_name = "计划类别与表单"

    def ready(self):
        from kechuang.core import display

        from . import rules, selectors

        # a version is named after its form or programme, a submission after its form: read with them
        display.register_words(
            name_joins={
                "programmes.FormVersion": ("definition",),
                "programmes.ProgrammeVersion": ("programme",),
                "programmes.Submission": ("version__definition",),
            }
        )

        rules.register_eligibility("unit_verified", selectors.unit_verified_reasons)
        rules.register_eligibility(
            "no_overdue_project", selectors.overdue_reasons, bulk=selectors.overdue_reasons_many
        )
