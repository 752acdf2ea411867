from django.urls import path
from rest_framework import generics, serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from kechuang.core.exceptions import PermissionDenied

from . import permissions, selectors, services
from .models import Unit, User
from .roles import roles_of


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "name_en",
            "short_name",
            "kind",
            "credit_code",
            "province",
            "city",
            "region_code",
            "parent",
        ]


class UnitList(generics.ListCreateAPIView):
    """Units. Signed-in users list them; staff create them."""

    serializer_class = UnitSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["kind", "city"]
    search_fields = ["name", "short_name", "credit_code"]

    def get_queryset(self):
        return selectors.unit_list()

    def perform_create(self, serializer):
        if not permissions.is_staff_member(self.request.user):
            raise PermissionDenied("只有科技厅工作人员可以新建单位。")
        serializer.instance = services.unit_create(actor=self.request.user, **serializer.validated_data)


class UnitDetail(generics.RetrieveUpdateAPIView):
    """One unit. Staff edit any; a unit user edits their own."""

    serializer_class = UnitSerializer
    permission_classes = [IsAuthenticated]
    queryset = Unit.objects.select_related("parent")

    def perform_update(self, serializer):
        serializer.instance = services.unit_update(
            actor=self.request.user, unit=serializer.instance, **serializer.validated_data
        )


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    unit = UnitSerializer(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "email", "unit", "roles"]

    def get_roles(self, obj) -> list[str]:
        return sorted(roles_of(obj))


class Me(APIView):
    """The signed-in user, their unit and roles."""

    permission_classes = [IsAuthenticated]
    serializer_class = MeSerializer

    def get(self, request):
        return Response(MeSerializer(request.user).data)


class ObtainToken(ObtainAuthToken):
    """Exchange a user name and password for an API token (send it as `Authorization: Token <key>`)."""

    throttle_scope = "auth"

    def get_throttles(self):
        # DRF's ObtainAuthToken turns throttling off; this one counts like every view, plus the "auth" scope.
        from rest_framework.settings import api_settings

        return [throttle() for throttle in api_settings.DEFAULT_THROTTLE_CLASSES]


urlpatterns = [
    path("auth/token/", ObtainToken.as_view(), name="token"),
    path("me/", Me.as_view(), name="me"),
    path("units/", UnitList.as_view(), name="unit-list"),
    path("units/<int:pk>/", UnitDetail.as_view(), name="unit-detail"),
]
