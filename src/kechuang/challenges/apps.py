from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    name = "kechuang.challenges"
    label = "challenges"

    def ready(self):
        from kechuang.core import display

        # Joint applications (联合揭榜): their audit events read as words.
        display.register_words(verbs={"partners_set": _("设置合作单位")}, keys={"partners": _("合作单位")})
