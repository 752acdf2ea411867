from django.contrib import admin

from .models import ExpertProfile, ReviewForm, Round


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    """Read-only: profiles change on the expert's page and staff's review, which check the version and
    audit; an admin save would do neither and could overwrite a concurrent edit."""

    list_display = ("user", "title", "city", "status", "available", "yearly_cap")
    list_filter = ("status", "available")
    search_fields = ("user__username", "user__full_name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewForm)
class ReviewFormAdmin(admin.ModelAdmin):
    list_display = ("name", "scale")


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ("title", "mode", "k", "status", "objective")
    readonly_fields = (
        "status",
        "input_hash",
        "solver_input",
        "solver_result",
        "objective",
        "worst_off",
        "seed",
    )
