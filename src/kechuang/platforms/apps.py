from django.apps import AppConfig


class PlatformsConfig(AppConfig):
    name = "kechuang.platforms"
    label = "platforms"

    def ready(self):
        # Platforms as a key technology's coverage, chosen by typing (core.pickers kinds)
        from kechuang.core.pickers import PickKind, register_kind

        from .permissions import platforms_visible_to

        register_kind(
            "platforms.platform",
            PickKind(
                visible=platforms_visible_to,
                search=("name", "short_name", "name_en", "code__iexact"),
                label=lambda p: f"{p.local_name} · {p.get_kind_display()}",
            ),
        )
