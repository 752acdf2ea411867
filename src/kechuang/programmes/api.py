"""JSON API of programmes as data: a submission's values by the fields' stable keys (with its version's
fields), and a programme version as its definition document (docs/programmes.md). Read-only."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from kechuang.core.permissions import HasRole
from kechuang.core.roles import Role

from . import permissions, transfer
from .models import ProgrammeVersion, Submission


class FieldOut(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.CharField()
    label = serializers.CharField()
    required = serializers.BooleanField()


class SubmissionOut(serializers.Serializer):
    id = serializers.IntegerField()
    form = serializers.CharField()
    version = serializers.IntegerField()
    call = serializers.IntegerField(allow_null=True)
    stage = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    fields = FieldOut(many=True)
    values = serializers.DictField(help_text="The values by the fields' stable keys (docs/programmes.md).")


class SubmissionDetail(APIView):
    """A submission: its values by stable key, with the fields of the version it was made with."""

    permission_classes = [HasRole]
    roles = (Role.STAFF, Role.APPLICANT)

    @extend_schema(responses=SubmissionOut)
    def get(self, request, pk):
        sub = Submission.objects.select_related("version__definition").filter(pk=pk).first()
        if sub is None or not permissions.can_view_submission(request.user, sub):
            raise NotFound()
        fields = [
            {
                "key": f["key"],
                "kind": f["kind"],
                "label": f.get("label", ""),
                "required": bool(f.get("required")),
            }
            for f in sub.version.fields
        ]
        return Response(
            SubmissionOut(
                {
                    "id": sub.pk,
                    "form": sub.version.definition.name,
                    "version": sub.version.number,
                    "call": sub.call_id,
                    "stage": sub.stage_key,
                    "submitted_at": sub.created_at,
                    "fields": fields,
                    "values": sub.data,
                }
            ).data
        )


class DefinitionOut(serializers.Serializer):
    format = serializers.CharField()
    format_version = serializers.IntegerField()
    programme = serializers.DictField()
    version = serializers.DictField()
    forms = serializers.ListField(child=serializers.DictField())
    stages = serializers.ListField(child=serializers.DictField())


class ProgrammeVersionDefinition(APIView):
    """A programme version as its definition document (the export file)."""

    permission_classes = [HasRole]
    roles = (Role.STAFF,)

    @extend_schema(responses=DefinitionOut)
    def get(self, request, pk):
        version = ProgrammeVersion.objects.select_related("programme").filter(pk=pk).first()
        if version is None:
            raise NotFound()
        return Response(transfer.export_version(version))


urlpatterns = [
    path("submissions/<int:pk>/", SubmissionDetail.as_view(), name="programmes-submission"),
    path("versions/<int:pk>/", ProgrammeVersionDefinition.as_view(), name="programmes-version"),
]
