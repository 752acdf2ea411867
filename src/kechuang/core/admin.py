from django.contrib import admin

from .models import AuditEvent, Job


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the admin can list and open events, never add, change or delete them."""

    list_display = ["at", "actor_repr", "action", "object_repr", "reason"]
    list_filter = ["action"]
    search_fields = ["actor_repr", "object_repr", "action", "object_id"]
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "title", "state", "progress", "started_by"]
    list_filter = ["state", "kind"]
    readonly_fields = [
        "kind",
        "title",
        "state",
        "progress",
        "message",
        "params",
        "result",
        "error",
        "started_by",
        "started_at",
        "finished_at",
        "attempts",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
