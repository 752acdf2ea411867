"""Read-only admin views of the registry: every change goes through the pages or the API, which audit it."""

from django.contrib import admin

from .models import Achievement, Membership, Platform, Reorganisation, StatusPeriod, YearlyReport


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Platform)
class PlatformAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "level", "status", "city", "established")
    list_filter = ("kind", "level", "status", "province")
    search_fields = ("code", "name")


@admin.register(StatusPeriod)
class StatusPeriodAdmin(ReadOnlyAdmin):
    list_display = ("platform", "status", "start", "end")


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("platform", "unit", "role", "joined", "left")


@admin.register(Achievement)
class AchievementAdmin(ReadOnlyAdmin):
    list_display = ("title", "platform", "kind", "year", "count", "source")


@admin.register(YearlyReport)
class YearlyReportAdmin(ReadOnlyAdmin):
    list_display = ("platform", "year", "status")


@admin.register(Reorganisation)
class ReorganisationAdmin(ReadOnlyAdmin):
    list_display = ("kind", "date", "batch")
