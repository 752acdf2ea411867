from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "kechuang.challenges"
    label = "challenges"
