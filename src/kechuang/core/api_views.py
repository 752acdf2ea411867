from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from kechuang.core.roles import Role

from .api import IDS_TOO_MANY, NewestFirstCursorPagination, id_list
from .audit import audit_events_named
from .exceptions import ApplicationError
from .limits import IDS_MAX, SEARCH_MAX, checked_text
from .models import AuditEvent, Job, Notification
from .notifications import notifications_mark_read
from .permissions import HasRole, jobs_visible_to


class JobSerializer(serializers.ModelSerializer):
    started_by = serializers.StringRelatedField(
        allow_null=True,
        help_text="Who started it; null for a job the system started (the duplicate check of a submitted application).",
    )
    title = serializers.CharField(source="title_text", read_only=True, help_text="In the caller's language.")
    message = serializers.CharField(
        source="step_text", read_only=True, help_text="The current step, in the caller's language."
    )
    error = serializers.CharField(
        source="error_text",
        read_only=True,
        help_text="Why it failed, in the caller's language (never a traceback).",
    )

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "title",
            "state",
            "progress",
            "message",
            "params",
            "result",
            "error",
            "started_by",
            "created_at",
            "started_at",
            "finished_at",
            "attempts",
        ]
        read_only_fields = fields


class JobList(generics.ListAPIView):
    """Jobs the caller may see: staff all, others their own."""

    serializer_class = JobSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["kind", "state"]

    def get_queryset(self):
        return jobs_visible_to(self.request.user).select_related("started_by")


class JobDetail(generics.RetrieveAPIView):
    """One job's state and progress (poll this while it runs)."""

    serializer_class = JobSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return jobs_visible_to(self.request.user).select_related("started_by")


class AuditEventSerializer(serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField()
    actor_name = serializers.SerializerMethodField(
        help_text="Who did it in words: a person by the public name (full name, else unit and role), a command "
        "or job by its name"
    )

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor_repr",
            "actor_name",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "before",
            "after",
            "reason",
        ]
        read_only_fields = fields

    def get_object_type(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}" if obj.content_type_id else ""

    def get_actor_name(self, obj) -> str:
        from .display import actor_name

        return actor_name(obj)


class AuditEventList(generics.ListAPIView):
    """The audit trail (read-only: no method here or anywhere changes it). Staff only. Paged by cursor:
    follow `next`; there is no `count` (the trail has a million rows at national size)."""

    serializer_class = AuditEventSerializer
    pagination_class = NewestFirstCursorPagination
    permission_classes = [IsAuthenticated, HasRole]
    roles = (Role.STAFF,)
    filterset_fields = ["action", "object_id", "actor_repr"]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "search",
                str,
                description=(
                    "Events about an object whose name, as the event recorded it (`object_repr`), contains these "
                    f"words (any case), as the audit page's search. At most {SEARCH_MAX} characters: longer is "
                    "refused (400, `fields.search`)."
                ),
            )
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = AuditEvent.objects.select_related("content_type", "actor__unit")
        # read after the role check (ListAPIView checks permissions before it asks for the rows)
        words = self.request.query_params.get("search", "").strip()
        if words:
            checked_text(words, "search", label=_("搜索"), max_length=SEARCH_MAX)
            qs = audit_events_named(qs, words)
        return qs


class NotificationSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="title_text", read_only=True, help_text="In the caller's language.")
    body = serializers.CharField(source="body_text", read_only=True, help_text="In the caller's language.")

    class Meta:
        model = Notification
        fields = ["id", "title", "body", "url", "kind", "created_at", "read_at"]
        read_only_fields = fields


class NotificationList(generics.ListAPIView):
    """The caller's own notifications, newest first (`unread=1`: only the unread ones)."""

    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["kind"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        qs = Notification.objects.filter(recipient=self.request.user).order_by("-created_at", "-id")
        if self.request.query_params.get("unread") == "1":
            qs = qs.filter(read_at__isnull=True)
        return qs


class NotificationRead(generics.GenericAPIView):
    """Mark the caller's notifications read: `ids` [..] of their own, or all when absent."""

    permission_classes = [IsAuthenticated]
    serializer_class = serializers.Serializer

    @extend_schema(
        request=inline_serializer(
            "NotificationReadRequest",
            {"ids": id_list(required=False)},
        ),
        responses=inline_serializer("NotificationReadResult", {"marked": serializers.IntegerField()}),
    )
    def post(self, request):
        ids = request.data.get("ids") if hasattr(request.data, "get") else None
        if ids is not None and (
            not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids)
        ):
            raise ApplicationError(
                _("ids 必须是通知编号的列表。"), fields={"ids": [_("ids 必须是通知编号的列表。")]}
            )
        if ids is not None and len(ids) > IDS_MAX:  # one bound variable each (security §39)
            message = str(IDS_TOO_MANY).format(max_length=IDS_MAX)
            raise ApplicationError(message, fields={"ids": [message]})
        return Response({"marked": notifications_mark_read(user=request.user, ids=ids)})


urlpatterns = [
    path("notifications/", NotificationList.as_view(), name="notification-list"),
    path("notifications/read/", NotificationRead.as_view(), name="notification-read"),
    path("jobs/", JobList.as_view(), name="job-list"),
    path("jobs/<uuid:pk>/", JobDetail.as_view(), name="job-detail"),
    path("audit/", AuditEventList.as_view(), name="audit-list"),
]


class _RenderedOnce(Response):
    """The schema's answer, its body rendered once per schema, renderer and media type and kept beside the
    generated schema: YAML, the default, took about 0.6 s of CPU a request for the same bytes (testtime11)."""

    _store: dict = {}  # the bodies of one generated schema, by renderer and media type

    @property
    def rendered_content(self):
        key = (type(self.accepted_renderer), self.accepted_media_type)
        kept = self._store.get(key)
        if kept is None:
            body = super().rendered_content
            kept = self._store[key] = (self.get("Content-Type"), body)
        content_type, body = kept
        if content_type:
            self["Content-Type"] = content_type
        return body


class CachedSchemaView(SpectacularAPIView):
    """The OpenAPI schema, generated once per process, language and API version, and rendered once per
    format (`_RenderedOnce`).

    The schema is public and the same for every caller (SERVE_PUBLIC), but drf-spectacular builds it anew on
    every request: a second of CPU that anyone could ask for in a loop. The code cannot change under a running
    process, so the generated document is kept; a deployment restarts the processes."""

    _generated: dict = {}
    _rendered: dict = {}

    def _get_schema_response(self, request):
        if not self.serve_public:
            return super()._get_schema_response(request)
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (translation.get_language(), version, id(self.urlconf), id(self.patterns))
        data = self._generated.get(key)
        if data is None:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            data = self._generated[key] = generator.get_schema(request=None, public=True)
            self._rendered[key] = {}
        response = _RenderedOnce(
            data=data,
            headers={"Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'},
        )
        response._store = self._rendered.setdefault(key, {})
        return response
