"""The documents API, mounted at /api/documents/ (docs/documents.md): a project's official documents, their
PDFs, the public verification, and the project archive — the same checks and audit as the pages."""

from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied as Refused
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from kechuang.challenges import permissions as projects
from kechuang.challenges.models import Contract
from kechuang.core.jobs import job_submit
from kechuang.core.messages import Message
from kechuang.core.permissions import HasRole, get_visible_or_404
from kechuang.core.roles import Role
from kechuang.core.uploads import uploaded_file_response

from . import permissions, selectors, services
from .models import OfficialDocument, ProjectArchive


class OfficialDocumentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    current = serializers.BooleanField(source="is_current", read_only=True)
    superseded_by_code = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    verify_url = serializers.SerializerMethodField()

    class Meta:
        model = OfficialDocument
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "version",
            "code",
            "sha256",
            "size",
            "current",
            "superseded_by_code",
            "superseded_at",
            "created_at",
            "download_url",
            "verify_url",
        ]

    def get_superseded_by_code(self, obj) -> str:
        return obj.superseded_by.code if obj.superseded_by_id else ""

    def get_download_url(self, obj) -> str:
        return reverse("api:documents-download", args=[obj.pk])

    def get_verify_url(self, obj) -> str:
        return reverse("api:documents-verify", args=[obj.code])


class ArchiveSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ProjectArchive
        fields = ["id", "sha256", "size", "entries", "created_at", "download_url"]

    def get_download_url(self, obj) -> str:
        return reverse("api:documents-archive-download", args=[obj.pk])


class ProjectDocuments(APIView):
    """A project's official documents, every version (GET): whoever sees the project; the review sheet only
    once the unit may see the review results. Staff also get the project's archives."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=inline_serializer(
            "ProjectDocuments",
            {
                "documents": OfficialDocumentSerializer(many=True),
                "archives": ArchiveSerializer(many=True),
            },
        )
    )
    def get(self, request, pk):
        contract = get_visible_or_404(
            Contract.objects.select_related("application"),
            user=request.user,
            visible=projects.can_view_contract,
            pk=pk,
        )
        docs = [d for d in selectors.documents_of(contract) if permissions.can_read_document(request.user, d)]
        archives = (
            ProjectArchive.objects.filter(contract=contract)
            if permissions.can_read_archive(request.user)
            else []
        )
        return Response(
            {
                "documents": OfficialDocumentSerializer(docs, many=True).data,
                "archives": ArchiveSerializer(archives, many=True).data,
            }
        )


class DocumentDownload(APIView):
    """The PDF of one document (an attachment), for whoever may read it (else 404)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, pk):
        document = get_visible_or_404(
            OfficialDocument.objects.select_related("contract__application", "payment__milestone"),
            user=request.user,
            visible=permissions.can_read_document,
            pk=pk,
        )
        return uploaded_file_response(document.file, document.filename())


VERDICT = inline_serializer(
    "DocumentVerdict",
    {
        "found": serializers.BooleanField(),
        "current": serializers.BooleanField(),
        "code": serializers.CharField(),
        "kind": serializers.CharField(),
        "kind_label": serializers.CharField(),
        "project": serializers.CharField(),
        "unit": serializers.CharField(),
        "unit_en": serializers.CharField(help_text="the unit's English name; empty where none is recorded"),
        "version": serializers.IntegerField(),
        "issued_at": serializers.DateTimeField(),
        "sha256": serializers.CharField(),
        "superseded_at": serializers.DateTimeField(allow_null=True),
        "current_code": serializers.CharField(),
        "match": serializers.BooleanField(allow_null=True),
    },
)
# No document has this code: only that, and why.
UNKNOWN = inline_serializer(
    "DocumentUnknown", {"found": serializers.BooleanField(), "detail": serializers.CharField()}
)


class DocumentVerify(APIView):
    """Public, no sign-in, limited per client address like the page: is the document with this code
    genuine and current? POST `{"sha256": "<hex>"}` also compares the digest of the PDF one received."""

    permission_classes = [AllowAny]
    authentication_classes = []

    def _throttled(self, request):
        wait = services.verify_wait(request)
        if wait is None:
            return None
        return Response(
            {"detail": _("核验请求过于频繁，请 %(s)d 秒后再试。") % {"s": wait}},
            status=429,
            headers={"Retry-After": str(wait)},
        )

    def _answer(self, request, code: str, digest: str | None):
        throttled = self._throttled(request)
        if throttled is not None:
            return throttled
        verdict = selectors.verdict_for_code(services.normalise_code(code) or code)
        if not verdict.found:
            return Response({"found": False, "detail": _("未找到该核验码对应的公文。")}, status=404)
        d, cur = verdict.document, verdict.current
        return Response(
            {
                "found": True,
                "current": verdict.is_current,
                "code": d.code,
                "kind": d.kind,
                "kind_label": d.get_kind_display(),
                "project": d.contract.code,
                "unit": d.contract.unit.name,
                "unit_en": d.contract.unit.name_en,
                "version": d.version,
                "issued_at": d.created_at,
                "sha256": d.sha256,
                "superseded_at": d.superseded_at,
                "current_code": cur.code if cur else "",
                "match": None if digest is None else digest == d.sha256,
            }
        )

    @extend_schema(responses={200: VERDICT, 404: UNKNOWN, 429: OpenApiTypes.OBJECT})
    def get(self, request, code):
        return self._answer(request, code, None)

    @extend_schema(
        request=inline_serializer(
            "DocumentDigest", {"sha256": serializers.RegexField(r"^[0-9a-fA-F]{64}$", max_length=64)}
        ),
        responses={200: VERDICT, 404: UNKNOWN, 429: OpenApiTypes.OBJECT},
    )
    def post(self, request, code):
        raw = str(request.data.get("sha256", "") if hasattr(request.data, "get") else "").strip().lower()
        if len(raw) != 64 or any(c not in "0123456789abcdef" for c in raw):
            return Response({"sha256": [_("应为 64 位十六进制的 SHA-256 摘要。")]}, status=400)
        return self._answer(request, code, raw)


class ArchiveRequest(APIView):
    """Staff request the project's archive (POST): the job `documents.archive` builds it (202 with the job);
    its progress is at /api/jobs/<id>/ and the archive is listed by GET projects/<id>/documents/."""

    permission_classes = [HasRole]
    roles = (Role.STAFF,)

    @extend_schema(
        request=None,
        responses={
            202: inline_serializer(
                "ArchiveJob", {"job": serializers.UUIDField(), "url": serializers.CharField()}
            )
        },
    )
    def post(self, request, pk):
        contract = get_visible_or_404(Contract, user=request.user, visible=projects.can_view_contract, pk=pk)
        if not permissions.can_build_archive(request.user):
            raise Refused(_("只有科技厅工作人员可以生成项目档案。"))
        job = job_submit(
            kind="documents.archive",
            params={"contract": contract.pk},
            actor=request.user,
            title=Message(gettext_noop("生成项目档案：%(code)s"), code=contract.code),
        )
        return Response({"job": job.pk, "url": reverse("api:job-detail", args=[job.pk])}, status=202)


class ArchiveDownload(APIView):
    """A built archive (zip), staff only: it holds the audit trail."""

    permission_classes = [HasRole]
    roles = (Role.STAFF,)

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
    def get(self, request, pk):
        archive = get_visible_or_404(
            ProjectArchive.objects.select_related("contract"),
            user=request.user,
            visible=lambda user, _a: permissions.can_read_archive(user),
            pk=pk,
        )
        return uploaded_file_response(archive.file, archive.filename())


urlpatterns = [
    path("projects/<int:pk>/documents/", ProjectDocuments.as_view(), name="documents-of-project"),
    path("projects/<int:pk>/archive/", ArchiveRequest.as_view(), name="documents-archive-request"),
    path("<int:pk>/download/", DocumentDownload.as_view(), name="documents-download"),
    path("verify/<str:code>/", DocumentVerify.as_view(), name="documents-verify"),
    path("archives/<int:pk>/download/", ArchiveDownload.as_view(), name="documents-archive-download"),
]
