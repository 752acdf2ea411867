from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Unit, User


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "credit_code", "city", "is_active"]
    list_filter = ["kind", "city", "is_active"]
    search_fields = ["name", "short_name", "credit_code"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("科创", {"fields": ("full_name", "unit", "phone")}))
    list_display = ["username", "full_name", "unit", "is_active", "is_staff"]
    list_select_related = ["unit"]
