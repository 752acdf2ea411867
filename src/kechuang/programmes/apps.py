from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "kechuang.programmes"
    label = "programmes"
    verbose_name = "计划类别与表单"
