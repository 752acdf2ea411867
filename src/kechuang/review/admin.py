from django.contrib import admin

from .models import ExpertProfile, ReviewForm, Round


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "title", "city", "status", "available", "yearly_cap")
    list_filter = ("status", "available")
    search_fields = ("user__username", "user__full_name")
    readonly_fields = ("status", "version")


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
