"""Read-only admin views of campaigns: changes go through the pages or the API, which audit them."""

from django.contrib import admin

from .models import Campaign, Computation, Result


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ("name", "name_en", "year", "status", "grading")


@admin.register(Computation)
class ComputationAdmin(ReadOnlyAdmin):
    list_display = ("campaign", "method", "created_at")


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin):
    list_display = ("entry", "total", "rank", "grade")
