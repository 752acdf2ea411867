from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kechuang.core.limits import REASON_MAX

from .forms import PhoneField
from .models import Unit, User


class UnitAdminForm(forms.ModelForm):
    """The admin's unit form checks a phone as every form of the site does (validators.validate_phone); one
    stored before the check is kept as it is until changed (PhoneField's `stored`)."""

    contact_phone = PhoneField(label=_("联系电话"))
    # (declared: the admin's formfield_callback would replace a Meta one)
    rejection_reason = Unit._meta.get_field("rejection_reason").formfield(max_length=REASON_MAX)

    class Meta:
        model = Unit
        fields = "__all__"  # noqa: DJ007 (the admin's own fieldsets decide what is shown)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "contact_phone" in self.fields:
            self.fields["contact_phone"].stored = self.instance.contact_phone if self.instance.pk else ""


class UserAdminForm(UserChangeForm):
    """The admin's person form checks a phone as the site's person forms do; an older stored one is kept."""

    phone = PhoneField(label=_("联系电话"))

    class Meta(UserChangeForm.Meta):
        model = User

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "phone" in self.fields:
            self.fields["phone"].stored = self.instance.phone if self.instance.pk else ""


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    form = UnitAdminForm
    list_display = ["name", "kind", "credit_code", "city", "status", "is_active"]
    list_filter = ["kind", "status", "is_active"]
    search_fields = ["name", "short_name", "name_en", "credit_code"]
    # Verification is done on the unit's page (accounts.services.unit_verify / unit_reject), not here.
    readonly_fields = ["status", "verified_at", "verified_by", "rejection_reason"]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A unit added or changed here is checked by the form (its name, credit code) and written holding the
        units' names (services.unit_names_lock, docs/security.md §33): a same-named unit made meanwhile is the
        form's error, never the database's (a 500)."""
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        from .services import unit_names_lock

        with transaction.atomic():
            unit_names_lock()
            return super().changeform_view(request, object_id, form_url, extra_context)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserAdminForm
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
