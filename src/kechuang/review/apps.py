from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ReviewConfig(AppConfig):
    name = "kechuang.review"
    label = "review"

    def ready(self):
        # Proposals reviewed outside the other apps as a review round's subjects, chosen by typing
        # (core.pickers kinds): for staff, who set up rounds.
        from kechuang.core import display
        from kechuang.core.pickers import PickKind, register_kind
        from kechuang.core.roles import Role, has_role
        from kechuang.programmes import reviews

        from .display import (
            collaborator_add_payload,
            profile_payload,
            review_save_payload,
            review_save_prepare,
        )
        from .models import ExternalSubject
        from .programme import PROVIDER

        # a saved review's scores read by their criteria's names
        display.register_payload("review.save", review_save_payload, prepare=review_save_prepare)
        # a payload's `round` on another model's event (a call's, a campaign's) reads by the round's title
        # and a `unit` (a platform's membership.end): by the unit's name
        display.register_words(
            refs={"round": "review.Round", "unit": "accounts.Unit"},
            actions={
                "review.field_file": pgettext_lazy("审计", "上传评审附件"),
                "round.assign_widened": pgettext_lazy("审计", "放宽候选范围分配专家"),
                # the solver's result recorded after the round's 分配专家 (it read "分配结果评审轮次")
                "round.assign_result": pgettext_lazy("审计", "记录专家分配结果"),
                "round.settings": pgettext_lazy("审计", "修改分配设置"),
                # an expert's own additions to their profile (the profile is the event's object): what was
                # added, not "添加专家"
                "expert_unit.add": pgettext_lazy("审计", "添加工作经历"),
                "collaborator.add": pgettext_lazy("审计", "添加合作者"),
                "declared_conflict.add": pgettext_lazy("审计", "声明回避"),
                "expert_credit.record": pgettext_lazy("审计", "登记信用记录"),
                "expert_profile.create": pgettext_lazy("审计", "建立专家档案"),
                "expert_profile.update": pgettext_lazy("审计", "修改专家档案"),
            },
        )
        display.register_payload("collaborator.add", collaborator_add_payload)
        for action in ("expert_profile.create", "expert_profile.update"):
            display.register_payload(action, profile_payload)

        # The expert-review stages of programme calls (函评, 会评/答辩) are run here (issue #18).
        reviews.register(PROVIDER)

        def visible(user):
            return (
                ExternalSubject.objects.all()
                if has_role(user, Role.STAFF)
                else ExternalSubject.objects.none()
            )

        register_kind(
            "review.externalsubject",
            PickKind(
                visible=visible,
                search=("title", "unit__name", "unit__name_en", "leader_name"),
                label=lambda s: " · ".join(str(x) for x in (s.title, s.unit) if x),
                related=("unit",),
            ),
        )
