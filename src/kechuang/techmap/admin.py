"""Read-only admin views of the map: every change goes through the pages or the API, which audit it."""

from django.contrib import admin

from .models import Chain, ChainLink, Coverage, Technology, TrlRecord


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Chain)
class ChainAdmin(ReadOnlyAdmin):
    list_display = ("name", "name_en", "published", "order")


@admin.register(ChainLink)
class ChainLinkAdmin(ReadOnlyAdmin):
    list_display = ("chain", "stage", "name", "name_en", "order")
    list_filter = ("stage", "chain")


@admin.register(Technology)
class TechnologyAdmin(ReadOnlyAdmin):
    list_display = (
        "name",
        "name_en",
        "link",
        "is_bottleneck",
        "trl_baseline",
        "trl_current",
        "trl_target",
        "level",
    )
    list_filter = ("is_bottleneck", "substitution", "level")
    search_fields = ("name", "name_en")


@admin.register(TrlRecord)
class TrlRecordAdmin(ReadOnlyAdmin):
    list_display = ("technology", "kind", "value", "as_of")


@admin.register(Coverage)
class CoverageAdmin(ReadOnlyAdmin):
    list_display = ("technology", "kind", "target_repr", "since", "until")
    list_filter = ("kind",)
