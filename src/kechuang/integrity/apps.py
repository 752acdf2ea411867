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
