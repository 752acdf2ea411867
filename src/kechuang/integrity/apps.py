from django.apps import AppConfig

from kechuang.core import ui


class IntegrityConfig(AppConfig):
    name = "kechuang.integrity"
    label = "integrity"
    verbose_name = "科研诚信"

    def ready(self):
        from .panels import unit_panel, user_panel

        ui.register_panel("accounts.unit_detail", unit_panel)
        ui.register_panel("accounts.user_detail", user_panel)

        # programmes sits below integrity: it cannot ask here, so integrity answers its stage rule.
        from kechuang.programmes import rules

        from .selectors import programme_applicant_reasons, programme_applicant_reasons_many

        rules.register_eligibility(
            "no_integrity_record", programme_applicant_reasons, bulk=programme_applicant_reasons_many
        )
