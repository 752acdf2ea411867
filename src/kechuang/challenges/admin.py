"""Read-only admin views of the challenge records. Every change goes through the services and pages
(status fields only ever change through the state machines), so the admin offers no editing."""

from django.contrib import admin

from . import models


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Challenge)
class ChallengeAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "title_en", "year", "status", "deadline", "max_winners"]
    list_filter = ["status", "year"]
    search_fields = ["code", "title", "title_en"]


@admin.register(models.Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["title", "challenge", "unit", "leader", "status", "review_score"]
    list_filter = ["status"]
    list_select_related = ["challenge", "unit", "leader"]
    search_fields = ["title", "unit__name", "unit__name_en"]


@admin.register(models.Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "unit", "commissioner", "status", "start_date", "end_date"]
    list_filter = ["status"]
    list_select_related = ["unit", "commissioner"]


@admin.register(models.Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    list_display = ["contract", "seq", "title", "due_date", "status", "flag"]
    list_filter = ["status", "flag"]
    list_select_related = ["contract"]


for model in (
    models.Need,
    models.Topic,
    models.Result,
    models.Transfer,
    models.Acceptance,
    models.ChangeRequest,
):
    admin.site.register(model, ReadOnlyAdmin)
