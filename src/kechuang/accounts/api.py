from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from kechuang.core import divisions
from kechuang.core.api import ProvinceCodeField, ProvinceField
from kechuang.core.exceptions import PermissionDenied
from kechuang.core.roles import roles_of

from . import permissions, scopes, second_factor, selectors, services
from .models import ApiToken, Unit, UnitChangeRequest, User
from .regions import region_disagrees, region_from_credit_code


class UnitSerializer(serializers.ModelSerializer):
    province = ProvinceField()
    province_code = ProvinceCodeField()

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
            "province_code",
            "city",
            "region_code",
            "parent",
            "endorser",
            "address",
            "status",
        ]
        read_only_fields = ["status"]
        extra_kwargs = {
            "name_en": {
                "help_text": "The unit's English name (the open data, English pages). Of a verified unit, changed "
                "by its own users only through a change request (202); another unit's English name is refused."
            },
            "short_name": {
                "help_text": "The unit's short name: reports' mentions of it are linked to the unit, pickers find "
                "the unit by it. Of a verified unit, changed by its own users only through a change request "
                "(202). Refused: one character, a generic title (省科技厅, 市科技局 ...; staff may give one to the "
                "department it names), another unit's name or short name."
            },
            "region_code": {
                "help_text": "GB/T 2260, six digits. Taken from the credit code (characters 3-8) when the unit has "
                "one; give it only for a unit without a credit code."
            },
        }

    def validate_city(self, value):
        # a city by any of its names (太原, Taiyuan, 140100) as stored: the division's Chinese name (太原市)
        return divisions.city_normalise(value)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        code = attrs.get("credit_code", self.instance.credit_code if self.instance else "")
        derived = region_from_credit_code(code)
        given = attrs.get("region_code", "")
        if derived and given and given != derived:
            raise serializers.ValidationError({"region_code": str(region_disagrees(given, derived))})
        return attrs


class UnitChangeRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = UnitChangeRequest
        fields = ["id", "unit", "changes", "before", "reason", "status", "created_at"]
        read_only_fields = fields


class UnitList(generics.ListCreateAPIView):
    """Units. Signed-in users list them; staff create them (verified at once)."""

    serializer_class = UnitSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["kind", "city", "status"]
    search_fields = ["name", "short_name", "credit_code"]

    def get_queryset(self):
        return selectors.unit_list()

    def create(self, request, *args, **kwargs):
        # Who may create (403) before the body is read.
        if not permissions.is_staff_member(request.user):
            raise PermissionDenied(_("只有科技厅工作人员可以新建单位。"))
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.unit_create(actor=self.request.user, **serializer.validated_data)


class UnitDetail(generics.RetrieveUpdateAPIView):
    """One unit. Staff edit any. A unit user edits their own unit's free fields (address, contacts); a change
    to a verified field of a verified unit (name, English name, short name, kind, credit code, region,
    parent, endorser) is not applied: it becomes a change request that staff approve, answered 202 with
    the request."""

    serializer_class = UnitSerializer
    permission_classes = [IsAuthenticated]
    queryset = Unit.objects.select_related("parent")

    @extend_schema(responses={200: UnitSerializer, 202: UnitChangeRequestSerializer})
    def patch(self, request, *args, **kwargs):
        return self._update(request, partial=True)

    @extend_schema(responses={200: UnitSerializer, 202: UnitChangeRequestSerializer})
    def put(self, request, *args, **kwargs):
        return self._update(request, partial=False)

    def _update(self, request, partial: bool):
        unit = self.get_object()
        if not permissions.can_edit_unit(request.user, unit):
            raise PermissionDenied(_("您无权修改此单位。"))
        serializer = self.get_serializer(unit, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        unit, cr = services.unit_update_or_request(
            actor=request.user, unit=unit, fields=dict(serializer.validated_data)
        )
        if cr is not None:
            return Response(UnitChangeRequestSerializer(cr).data, status=status.HTTP_202_ACCEPTED)
        return Response(UnitSerializer(unit).data)


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    unit = UnitSerializer(read_only=True)
    name = serializers.CharField(
        source="public_name",
        read_only=True,
        help_text="How the platform names the caller to others: the full name, else the unit and role",
    )

    class Meta:
        model = User
        # No login name: people sign in with `email` and are named by `name` (docs/adr/0017, security.md §19).
        fields = ["id", "name", "full_name", "email", "unit", "roles", "language"]
        read_only_fields = ["id", "name", "full_name", "email", "unit", "roles"]
        extra_kwargs = {
            "language": {
                "help_text": "The language of the caller's e-mails and of the pages when they sign in."
            }
        }

    def get_roles(self, obj) -> list[str]:
        return sorted(roles_of(obj))


class Me(APIView):
    """The signed-in user, their unit and roles. PATCH changes their own language (`language`, one of
    the site's languages; audited); the other fields are read-only here."""

    permission_classes = [IsAuthenticated]
    serializer_class = MeSerializer

    def get(self, request):
        return Response(MeSerializer(request.user).data)

    @extend_schema(request=MeSerializer, responses={200: MeSerializer})
    def patch(self, request):
        fixed = sorted(set(request.data) - {"language"})
        if fixed:
            raise serializers.ValidationError(dict.fromkeys(fixed, _("此处只能修改语言。")))
        serializer = MeSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = request.user
        if "language" in serializer.validated_data:
            user = services.user_set_language(
                actor=request.user, user=request.user, language=serializer.validated_data["language"]
            )
        return Response(MeSerializer(user).data)


class TokenSerializer(serializers.ModelSerializer):
    live = serializers.SerializerMethodField()
    scope = serializers.CharField(source="scope_words", read_only=True, help_text="The scope in words")

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "created_at",
            "expires_at",
            "revoked_at",
            "revoke_reason",
            "access",
            "areas",
            "scope",
            "last_used_at",
            "last_used_from",
            "live",
        ]
        read_only_fields = fields
        extra_kwargs = {"areas": {"help_text": "The API areas the token may call; empty: all"}}

    def get_live(self, obj) -> bool:
        return services.token_is_live(obj)


class ObtainTokenSerializer(AuthTokenSerializer):
    username = serializers.CharField(
        write_only=True,
        help_text="The e-mail address the person signs in with (any letter case); an account's old login name "
        "still works (docs/adr/0017)",
    )
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, write_only=True)
    otp = serializers.CharField(
        max_length=10,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="动态验证码（已启用双因素认证时必填）",
    )
    access = serializers.ChoiceField(
        choices=scopes.Access.choices,
        default=scopes.Access.READ,
        write_only=True,
        help_text="read (the default): GET, HEAD and OPTIONS only; write: every method. Ask for write to "
        "change data (docs/adr/0016)",
    )
    areas = serializers.ListField(
        child=serializers.ChoiceField(choices=scopes.area_choices()),
        required=False,
        default=list,
        write_only=True,
        help_text="The API areas the token may call (its routers: accounts, core, platforms, …); "
        "none or empty: all",
    )


class ObtainToken(APIView):
    """Exchange an e-mail address (`username`) and password for a new API token (send it as `Authorization: Token <key>`).
    The key is in this answer only; the token expires after API_TOKEN_DAYS days (`expires_at`). Its scope:
    `access` read (GET, HEAD, OPTIONS only; the default when none is named) or write, `areas` the API areas it
    may call (none: all); a call outside it is 403 with the reason (`token_read_only`, `token_area`)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = ObtainTokenSerializer
    throttle_scope = "auth"

    @extend_schema(
        request=ObtainTokenSerializer,
        responses={
            200: inline_serializer(
                "IssuedToken",
                {
                    "token": serializers.CharField(),
                    "id": serializers.IntegerField(),
                    "expires_at": serializers.DateTimeField(),
                    "access": serializers.CharField(),
                    "areas": serializers.ListField(child=serializers.CharField()),
                    "scope": serializers.CharField(),
                },
            )
        },
    )
    def post(self, request):
        serializer = ObtainTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        with_code = second_factor.check_api_code(user, serializer.validated_data.get("otp", ""), request)
        data = serializer.validated_data
        token, key = services.token_issue(
            actor=user,
            user=user,
            access=data["access"],
            areas=data["areas"],
            name=data.get("name", ""),
            second_factor=with_code,
        )
        return Response(
            {
                "token": key,
                "id": token.pk,
                "expires_at": token.expires_at,
                "access": token.access,
                "areas": token.areas,
                "scope": token.scope_words,
            }
        )


class TokenList(generics.ListAPIView):
    """The signed-in user's own API tokens, live and past (never their keys)."""

    serializer_class = TokenSerializer
    permission_classes = [IsAuthenticated]
    filter_backends = []

    def get_queryset(self):
        return ApiToken.objects.filter(user=self.request.user).order_by("-created_at", "-pk")


class TokenDetail(generics.RetrieveDestroyAPIView):
    """One of the signed-in user's tokens; DELETE revokes it (audited). Another user's token is 404."""

    serializer_class = TokenSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return ApiToken.objects.filter(user=self.request.user)

    def perform_destroy(self, instance):
        services.token_revoke(actor=self.request.user, token=instance, reason="owner")


urlpatterns = [
    path("auth/token/", ObtainToken.as_view(), name="token"),
    path("auth/tokens/", TokenList.as_view(), name="token-list"),
    path("auth/tokens/<int:pk>/", TokenDetail.as_view(), name="token-detail"),
    path("me/", Me.as_view(), name="me"),
    path("units/", UnitList.as_view(), name="unit-list"),
    path("units/<int:pk>/", UnitDetail.as_view(), name="unit-detail"),
]
