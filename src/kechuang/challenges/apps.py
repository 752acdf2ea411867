from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ChallengesConfig(AppConfig):
    name = "kechuang.challenges"
    label = "challenges"

    def ready(self):
        from kechuang.core import display

        # Joint applications (联合揭榜): their audit events read as words.
        display.register_words(
            verbs={"partners_set": pgettext_lazy("审计", "设置合作单位")},
            actions={
                "application.defence_score": pgettext_lazy("审计", "登记答辩得分"),
                "application.field_file": pgettext_lazy("审计", "上传申报附件"),
                "challenge.defence_start": pgettext_lazy("审计", "启动答辩"),
                "challenge.name_translate": pgettext_lazy("审计", "设置英文名称"),
                "challenge.indicator_name_translate": pgettext_lazy("审计", "设置指标英文名称"),
                "challenge.indicator_unit_translate": pgettext_lazy("审计", "设置指标计量单位英文"),
            },
            keys={"partners": _("合作单位")},
            refs={"winners": "challenges.Application"},
            name_joins={
                "challenges.Application": ("unit",),
                "challenges.PreApplication": ("challenge", "unit"),
            },
        )
        from .display import milestones_payload

        display.register_payload("application.milestones_set", milestones_payload)
        register_pick_kinds()
        register_programme_rules()


def register_programme_rules() -> None:
    """What challenges tells the programmes app below it (issue #18): which 揭榜挂帅 versions its lists can
    run (checked when a version is published or imported), and its projects for the concurrent-project
    limit and the overdue-project rule of any programme's stages."""
    from kechuang.programmes import rules

    from . import programme, selectors

    rules.register_definition_check(programme.PROGRAMME_NAME, programme.definition_problems)
    rules.register_definition_check(programme.SHOWCASE_NAME, programme.definition_problems)
    rules.register_in_flight(
        selectors.projects_in_flight_for_programmes, bulk=selectors.projects_in_flight_for_programmes_many
    )
    rules.register_eligibility(
        "no_overdue_project", selectors.overdue_project_reasons, bulk=selectors.overdue_project_reasons_many
    )


def register_pick_kinds() -> None:
    """What a person chooses by typing among our rows (core.pickers kinds): applications as a review
    round's subjects; topics, lists and projects as a key technology's coverage."""
    from kechuang.core.pickers import PickKind, register_kind
    from kechuang.core.roles import Role, has_role

    from . import permissions
    from .models import Topic

    def topics(user):
        return Topic.objects.all() if has_role(user, Role.STAFF, Role.COMMISSIONER) else Topic.objects.none()

    register_kind(
        "challenges.application",
        PickKind(
            visible=permissions.applications_visible_to,
            search=("title", "unit__name", "unit__name_en", "challenge__title"),
            label=lambda a: f"{a.title} · {a.unit} · {a.challenge.local_title}",
            related=("unit", "challenge"),
        ),
    )
    register_kind(
        "challenges.topic",
        PickKind(
            visible=topics,
            search=("title", "industry"),
            label=lambda t: f"{t.title} · {t.industry_label}" if t.industry else t.title,
        ),
    )
    register_kind(
        "challenges.challenge",
        PickKind(visible=permissions.challenges_visible_to, search=("title", "code__iexact")),
    )
    register_kind(
        "challenges.contract",
        PickKind(
            visible=permissions.contracts_visible_to,
            search=("title", "code__iexact", "unit__name", "unit__name_en"),
            label=lambda c: f"{c.title} · {c.unit}",
            related=("unit",),
        ),
    )
