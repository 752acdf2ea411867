from django.apps import AppConfig
from django.utils.translation import pgettext_lazy

from kechuang.core import ui


class EvaluationConfig(AppConfig):
    name = "kechuang.evaluation"
    label = "evaluation"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from kechuang.core import display

        from .display import counts_payload, members_payload, node_add_payload
        from .selectors import contract_performance_panel, platform_results_panel, record_panel

        display.register_words(
            verbs={
                "contracts_set": pgettext_lazy("审计", "设置参评项目"),
                "node_weight": pgettext_lazy("审计", "修改指标权重"),
            },
            actions={
                "campaign.publish_scope": pgettext_lazy("审计", "确定发布范围（缺少数据的对象不列入结果）"),
                "campaign.name_translate": pgettext_lazy("审计", "设置英文名称"),
                "campaign.node_translate": pgettext_lazy("审计", "设置指标英文名称"),
            },
            keys={
                "contracts": _("参评项目"),
                "projects": _("项目"),
                "project": _("项目数据"),
                "node": _("指标"),
                "of_project": _("所属项目"),
            },
            # the review's scoring form and round a review start made, by name (another action's `form`
            # key is not a review form)
            action_refs={"campaign.review_start": {"form": "review.ReviewForm", "round": "review.Round"}},
        )

        # the campaign's audit trail in words: indicators by name, sources by the report field's name
        display.register_payload("campaign.node_add", node_add_payload)
        display.register_payload("campaign.node_remove", counts_payload)
        for action in ("campaign.collect", "campaign.compute", "campaign.review_start"):
            display.register_payload(action, counts_payload)
        for action in ("campaign.entries_set", "campaign.contracts_set"):
            display.register_payload(action, members_payload)

        # a published challenge's English names and units given later: the leaves copied from its contracts
        from kechuang.core import hooks

        from .services import contract_indicator_english_followed

        hooks.register("challenges.contract_indicator_english", contract_indicator_english_followed)

        # platforms sits below evaluation: its detail page shows our results through this panel
        ui.register_panel("platforms.detail", platform_results_panel)
        # … and so do challenges' project page and accounts' unit and person pages (project performance)
        ui.register_panel("challenges.contract_detail", contract_performance_panel)
        ui.register_panel("accounts.unit_detail", record_panel)
        ui.register_panel("accounts.user_detail", record_panel)

        # A campaign's entries as a review round's subjects, chosen by typing (core.pickers kinds)
        from kechuang.core.pickers import PickKind, register_kind

        from .permissions import entries_visible_to

        register_kind(
            "evaluation.entry",
            PickKind(
                visible=entries_visible_to,
                search=(
                    "platform__name",
                    "platform__name_en",
                    "contract__title",
                    "campaign__name",
                    "campaign__name_en",
                ),
                label=lambda e: f"{e.subject_name} · {e.campaign}",
                related=("platform", "contract", "campaign"),
            ),
        )
