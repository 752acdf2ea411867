from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Unit, User


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "credit_code", "city", "status", "is_active"]
    list_filter = ["kind", "status", "is_active"]
    search_fields = ["name", "short_name", "credit_code"]
    # Verification is done on the unit's page (accounts.services.unit_verify / unit_reject), not here.
    readonly_fields = ["status", "verified_at", "verified_by", "rejection_reason"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("科创", {"fields": ("full_name", "unit", "phone")}))
    list_display = ["username", "full_name", "unit", "is_active", "is_staff"]
    list_select_related = ["unit"]


# Second-factor devices are set up by their owner and reset by staff on the person's page (audited there);
# django-otp's admin pages (which show a device's key as a QR code) are not offered.
try:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    admin.site.unregister(TOTPDevice)
except admin.sites.NotRegistered:  # pragma: no cover - django-otp's admin not loaded
    pass
