"""The reorganisation, lineage and overlap endpoints."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from kechuang.core.api import REASON_MAX, ConfirmField, RelatedIds
from kechuang.core.permissions import HasRole, get_visible_or_404

from .. import permissions, selectors, services
from ..models import Platform, Reorganisation
from ._common import STAFF


class ReorganisationSerializer(serializers.ModelSerializer):
    confirm = ConfirmField()  # a step that cannot be undone: true (docs/security.md §42)
    sources = RelatedIds(many=True, queryset=Platform.objects.all())
    targets = RelatedIds(many=True, queryset=Platform.objects.all(), required=False)

    class Meta:
        model = Reorganisation
        fields = ["id", "kind", "date", "sources", "targets", "note", "batch", "confirm"]
        extra_kwargs = {"note": {"max_length": REASON_MAX}}


class ReorganisationList(generics.ListCreateAPIView):
    permission_classes = [HasRole]
    write_roles = STAFF
    serializer_class = ReorganisationSerializer

    def get_queryset(self):
        qs = Reorganisation.objects.prefetch_related("sources", "targets").order_by("-date", "pk")
        if not permissions.can_view_internal(self.request.user):
            qs = qs.filter(sources__published=True).distinct()
        return qs

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = services.reorganisation_create(
            actor=self.request.user,
            kind=d["kind"],
            date=d["date"],
            sources=d["sources"],
            targets=d.get("targets", []),
            note=d.get("note", ""),
            batch=d.get("batch", ""),
        )


class Lineage(APIView):
    """The lineage graph: of one platform (`platform`), of a batch (`batch`), or of everything."""

    @extend_schema(
        parameters=[OpenApiParameter("platform", int), OpenApiParameter("batch", str)],
        responses={
            200: inline_serializer(
                "LineageOut", {"nodes": serializers.ListField(), "edges": serializers.ListField()}
            ),
            404: OpenApiResponse(description="No such platform (or not visible to the user)."),
        },
    )
    def get(self, request):
        platform = None
        raw = request.query_params.get("platform", "")
        if raw and not raw.isdecimal():
            raise serializers.ValidationError({"platform": [_("平台编号应为整数。")]})
        if raw:
            platform = get_visible_or_404(
                Platform.objects, user=request.user, visible=permissions.can_view_platform, pk=int(raw)
            )
        g = selectors.lineage(platform=platform, batch=request.query_params.get("batch", ""))
        internal = permissions.can_view_internal(request.user)
        nodes = [
            {"id": p.pk, "name": p.name, "name_en": p.name_en, "status": p.status}
            for p in g["nodes"].values()
            if internal or p.published
        ]
        ids = {n["id"] for n in nodes}
        edges = [
            {
                k: v for k, v in e.items() if k not in ("kind_label", "date_text")
            }  # the page's words, not the API's
            for e in g["edges"]
            if e["source"] in ids and (e["target"] is None or e["target"] in ids)
        ]
        return Response({"nodes": nodes, "edges": edges})


class Overlap(APIView):
    permission_classes = [HasRole]
    roles = STAFF

    @extend_schema(responses=inline_serializer("OverlapOut", {"candidates": serializers.ListField()}))
    def get(self, request):
        out = [
            {
                "a": c.a.id,
                "a_name": c.a.name,
                "b": c.b.id,
                "b_name": c.b.name,
                "score": c.score,
                "reasons": c.reasons,
                "discipline_overlap": c.discipline_overlap,
                "industry_overlap": c.industry_overlap,
                "mission_similarity": c.mission_similarity,
            }
            for c in selectors.merge_candidates()
        ]
        return Response({"candidates": out})
