from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "kechuang.registry"
    label = "registry"
    verbose_name = "成果与技术合同登记"
