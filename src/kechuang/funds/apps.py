from django.apps import AppConfig

from kechuang.core import display, hooks, ui


class FundsConfig(AppConfig):
    name = "kechuang.funds"
    label = "funds"
    verbose_name = "经费"

    def ready(self):
        from . import selectors, services
        from .display import KEYS, VERBS, YUAN_ACTIONS, spending_report_payload, yuan_payload

        display.register_words(verbs=VERBS, keys=KEYS)
        display.register_payload("funds.spending_report", spending_report_payload)
        for action in YUAN_ACTIONS:
            display.register_payload(action, yuan_payload)

        # challenges sits below funds: it fires these hooks inside its own transactions
        hooks.register("challenges.contract_signed", services.on_contract_signed)
        hooks.register("challenges.milestone_verified", services.on_milestone_verified)
        hooks.register("challenges.application_problems", services.application_problems)
        # … and shows the money on its project and application pages through these panels
        ui.register_panel("challenges.contract_detail", selectors.contract_panel)
        ui.register_panel("challenges.application_detail", selectors.application_panel)
