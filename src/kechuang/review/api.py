"""The review API. Staff see everything; an expert sees only their own profile, assignments and
reviews; an applicant sees no review (only the anonymous opinions staff release, through the
challenges app's pages)."""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from kechuang.accounts.models import User
from kechuang.core.api import (
    FORM_JSON_MAX,
    TEXT_MAX,
    BoundedTextSerializer,
    ConfirmField,
    DisciplineNamesField,
    JSONParser,
    discipline_codes,
    free_text,
)
from kechuang.core.confirming import require_api_confirm
from kechuang.core.exceptions import ApplicationError
from kechuang.core.permissions import HasRole, get_visible_or_404
from kechuang.core.roles import Role
from kechuang.core.services import expected_version
from kechuang.programmes.filefields import upload_bytes

from . import permissions, selectors, services
from .models import LEXIMIN_DEPTH_MAX, REASON_LENGTH, Assignment, Criterion, ExpertProfile, Review, Round


class ExpertSerializer(BoundedTextSerializer):
    name = serializers.CharField(source="user.__str__", read_only=True)
    unit = serializers.CharField(source="user.unit.name", read_only=True, default="")
    unit_en = serializers.CharField(
        source="user.unit.name_en",
        read_only=True,
        default="",
        help_text="the unit's English name; empty where none is recorded",
    )
    discipline_names = DisciplineNamesField()

    class Meta:
        model = ExpertProfile
        fields = [
            "id",
            "user",
            "name",
            "unit",
            "unit_en",
            "title",
            "disciplines",
            "discipline_names",
            "keywords",
            "city",
            "region",
            "publications",
            "available",
            "yearly_cap",
            "status",
            "version",
        ]
        read_only_fields = ["id", "user", "name", "unit", "status"]

    def validate_disciplines(self, value):
        return discipline_codes(value)


class ExpertList(generics.ListAPIView):
    """The expert pool (staff)."""

    serializer_class = ExpertSerializer
    permission_classes = [IsAuthenticated, HasRole]
    roles = (Role.STAFF,)
    filterset_fields = ["status", "city", "available"]

    def get_queryset(self):
        return selectors.expert_list(q=self.request.query_params.get("q", ""))


class MyProfile(APIView):
    """The signed-in expert's own profile: read it, or change it (send `version`)."""

    permission_classes = [IsAuthenticated, HasRole]
    roles = (Role.EXPERT,)

    @extend_schema(responses=ExpertSerializer)
    def get(self, request):
        profile = get_object_or_404(ExpertProfile, user=request.user)
        return Response(ExpertSerializer(profile).data)

    @extend_schema(request=ExpertSerializer, responses=ExpertSerializer)
    def patch(self, request):
        profile = get_object_or_404(ExpertProfile, user=request.user)
        ser = ExpertSerializer(profile, data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        version = expected_version(request.data)
        data.pop("version", None)
        profile = services.expert_profile_update(
            actor=request.user, profile=profile, expected_version=version, **data
        )
        return Response(ExpertSerializer(profile).data)


class RoundSerializer(serializers.ModelSerializer):
    # docs/adr/0019: both names, whatever the request's language
    title_en = serializers.CharField(
        read_only=True,
        help_text="The round's English title, made with it by the system (a call review's); "
        "empty where none (a title typed by staff). `title` is the Chinese.",
    )

    class Meta:
        model = Round
        fields = [
            "id",
            "title",
            "title_en",
            "form",
            "k",
            "min_load",
            "max_load",
            "mode",
            "conflict_years",
            "same_city_rule",
            "seed",
            "leximin_depth",
            "status",
            "objective",
            "worst_off",
            "input_hash",
            "assigned_at",
            "due",
        ]


class RoundList(generics.ListAPIView):
    """Rounds: staff see all, an expert those they review in."""

    serializer_class = RoundSerializer
    permission_classes = [IsAuthenticated, HasRole]
    roles = (Role.STAFF, Role.EXPERT)
    filterset_fields = ["status", "mode"]

    def get_queryset(self):
        return permissions.rounds_visible_to(self.request.user).order_by("-created_at")


class RoundSettingsSerializer(serializers.Serializer):
    """How a round still to be assigned assigns (PATCH): the mode and the fair mode's levels."""

    mode = serializers.ChoiceField(choices=Round.Mode.choices, required=False)
    leximin_depth = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=LEXIMIN_DEPTH_MAX,
        error_messages={
            "min_value": _("公平优先层数至少为 1。"),
            "max_value": _("公平优先层数最多为 {max_value}。"),
            "invalid": _("公平优先层数须为 1 到 20 之间的整数。"),
        },
    )


class RoundDetail(generics.RetrieveAPIView):
    """A round (staff); PATCH changes how it assigns while it can still be assigned (draft or
    assigned): `mode`, `leximin_depth` (1..20)."""

    serializer_class = RoundSerializer
    permission_classes = [IsAuthenticated, HasRole]
    roles = (Role.STAFF,)
    queryset = Round.objects.all()

    @extend_schema(request=RoundSettingsSerializer, responses=RoundSerializer)
    def patch(self, request, pk):
        rnd = self.get_object()
        ser = RoundSettingsSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        rnd = services.round_settings_update(actor=request.user, round=rnd, **ser.validated_data)
        return Response(RoundSerializer(rnd).data)


class RoundAssign(APIView):
    """Run the round's assignment as a job (staff); answers with the job to watch. Run again on an assigned
    round it replaces every assignment, the manual swaps too, which cannot be undone: then only with
    `"confirm": true`, as the round's page asks (docs/security.md §47)."""

    permission_classes = [IsAuthenticated, HasRole]
    roles = (Role.STAFF,)

    @extend_schema(
        request=inline_serializer("RoundAssignIn", {"confirm": ConfirmField()}), responses={202: dict}
    )
    def post(self, request, pk):
        rnd = get_object_or_404(Round, pk=pk)
        if rnd.status == Round.Status.ASSIGNED:
            require_api_confirm(
                _(
                    "重新分配将替换本轮现有的专家分配（包括人工调整），不能撤销。"
                    '确认执行请在请求中附上 "confirm": true。'
                )
            )
        job = services.round_assign(actor=request.user, round=rnd, as_job=True)
        return Response({"job": str(job.pk), "url": job.get_absolute_url()}, status=status.HTTP_202_ACCEPTED)


class AssignmentSerializer(serializers.ModelSerializer):
    subject_title = serializers.CharField(
        source="subject.title",
        read_only=True,
        help_text="The subject's title as the round stored it (Chinese).",
    )
    # docs/adr/0019: both titles, whatever the request's language
    subject_title_en = serializers.CharField(
        source="subject.title_en",
        read_only=True,
        help_text="The subject's English title, made with it by the system (an evaluation entry's); "
        "empty where none (a title typed by people, a round made before).",
    )
    review = serializers.IntegerField(source="review.pk", read_only=True, default=None)
    review_status = serializers.CharField(source="review.status", read_only=True, default="")

    class Meta:
        model = Assignment
        fields = [
            "id",
            "round",
            "subject",
            "subject_title",
            "subject_title_en",
            "expert",
            "affinity",
            "explanation",
            "source",
            "status",
            "reason",
            "review",
            "review_status",
        ]


class ManualAssignmentSerializer(serializers.Serializer):
    confirm = ConfirmField()  # a step that cannot be undone: true (docs/security.md §42)
    subject = serializers.IntegerField(help_text="RoundSubject id")
    expert = serializers.IntegerField(help_text="user id")
    reason = serializers.CharField(max_length=REASON_LENGTH)
    replace = serializers.IntegerField(required=False, help_text="assignment id to replace")


class RoundAssignments(generics.ListAPIView):
    """A round's assignments (staff); POST assigns an expert by hand with a reason (conflicts refused)."""

    serializer_class = AssignmentSerializer
    queryset = Assignment.objects.none()  # for the schema; get_queryset scopes the real one
    permission_classes = [IsAuthenticated, HasRole]
    roles = (Role.STAFF,)

    def get_queryset(self):
        return selectors.round_assignments(round=get_object_or_404(Round, pk=self.kwargs["pk"]))

    @extend_schema(request=ManualAssignmentSerializer, responses={201: AssignmentSerializer})
    def post(self, request, pk):

        rnd = get_object_or_404(Round, pk=pk)
        ser = ManualAssignmentSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        subject = get_object_or_404(rnd.subjects, pk=d["subject"])
        expert = get_object_or_404(User, pk=d["expert"])
        replace = get_object_or_404(Assignment, pk=d["replace"], round=rnd) if d.get("replace") else None
        a = services.assignment_create_manual(
            actor=request.user, round=rnd, subject=subject, expert=expert, reason=d["reason"], replace=replace
        )
        return Response(AssignmentSerializer(a).data, status=status.HTTP_201_CREATED)


class RoundRanking(APIView):
    """The panel's ranked results (staff): each subject's `title` as the round stored it (Chinese) and
    `title_en` beside it (empty where none), whatever the request's language (docs/adr/0019)."""

    permission_classes = [IsAuthenticated, HasRole]
    roles = (Role.STAFF,)

    @extend_schema(responses=dict)
    def get(self, request, pk):
        rnd = get_object_or_404(Round, pk=pk)
        results = selectors.round_results(round=rnd)
        titles = {pk: (zh, en) for pk, zh, en in rnd.subjects.values_list("pk", "title", "title_en")}
        return Response(
            {
                "round": rnd.pk,
                "results": [
                    {
                        "subject": sid,
                        "title": titles.get(sid, ("", ""))[0],
                        "title_en": titles.get(sid, ("", ""))[1],
                        "rank": r.rank,
                        "n_reviews": r.n_reviews,
                        "mean": r.mean,
                        "trimmed_mean": r.trimmed_mean,
                        "zscore": r.zscore,
                        "normalised": r.normalised,
                        "criteria_means": r.criteria_means,
                        "recommendations": r.recommendations,
                        "disagreement": r.disagreement,
                    }
                    for sid, r in results.items()
                ],
            }
        )


class MyAssignments(generics.ListAPIView):
    """The signed-in expert's own active assignments."""

    serializer_class = AssignmentSerializer
    permission_classes = [IsAuthenticated, HasRole]
    roles = (Role.EXPERT, Role.STAFF)

    def get_queryset(self):
        return (
            permissions.assignments_visible_to(self.request.user)
            .select_related("subject", "review")
            .order_by("pk")
        )


class ReviewSerializer(serializers.ModelSerializer):
    scores = serializers.SerializerMethodField()
    # blank until the expert chooses one: say so in the schema (a read-only field loses `allow_blank`)
    recommendation = serializers.ChoiceField(
        choices=Review.Recommendation.choices, allow_blank=True, read_only=True
    )
    # the scoring sheet's values by the stable keys of the review form version it was scored on (#18)
    values = serializers.JSONField(source="sheet_values", read_only=True)
    # the sheet's stored files by key: {key: {"name", "size", "url"}} (uploaded with ReviewFileUpload)
    files = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = [
            "id",
            "assignment",
            "status",
            "comments",
            "opinion",
            "recommendation",
            "total",
            "declared_no_conflict_at",
            "submitted_at",
            "released",
            "version",
            "scores",
            "form_version",
            "values",
            "files",
        ]
        read_only_fields = fields

    def get_scores(self, obj) -> dict:
        return {s.criterion.code: str(s.score) for s in obj.scores.select_related("criterion")}

    def get_files(self, obj) -> dict:
        keys = {
            v["file"]: k for k, v in (obj.sheet_values or {}).items() if isinstance(v, dict) and v.get("file")
        }
        if not keys:  # no query for a sheet without files
            return {}
        return {
            keys[f.pk]: {"name": f.original_name, "size": f.size, "url": f.get_absolute_url()}
            for f in obj.files.filter(pk__in=keys)
        }


class ReviewSaveSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    scores = serializers.DictField(
        child=serializers.DecimalField(max_digits=6, decimal_places=2), required=False
    )
    # PATCH: what is not sent is kept (services.review_save), a text field left out is not emptied
    comments = serializers.CharField(
        required=False, allow_blank=True, max_length=TEXT_MAX, help_text="Kept when not sent."
    )
    opinion = serializers.CharField(
        required=False, allow_blank=True, max_length=TEXT_MAX, help_text="Kept when not sent."
    )
    recommendation = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=Review._meta.get_field("recommendation").max_length,
        help_text="Kept when not sent.",
    )
    values = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="The scoring sheet's values by the stable keys of the round's review form version; "
        "a key not sent keeps its value.",
    )


class ReviewDetail(APIView):
    """One review: its expert or staff read it; its expert saves the draft (PATCH, with `version`)."""

    json_body_max = FORM_JSON_MAX  # a programme form's answers (core.limits)

    permission_classes = [IsAuthenticated, HasRole]
    roles = (Role.EXPERT, Role.STAFF)
    write_roles = (Role.EXPERT,)

    @extend_schema(responses=ReviewSerializer)
    def get(self, request, pk):
        return Response(
            ReviewSerializer(
                get_visible_or_404(
                    Review.objects.select_related("assignment"),
                    user=request.user,
                    visible=permissions.can_view_review,
                    pk=pk,
                )
            ).data
        )

    @extend_schema(request=ReviewSaveSerializer, responses=ReviewSerializer)
    def patch(self, request, pk):
        review = get_visible_or_404(
            Review.objects.select_related("assignment"),
            user=request.user,
            visible=permissions.can_view_review,
            pk=pk,
        )
        ser = ReviewSaveSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        review = services.review_save(
            actor=request.user,
            review=review,
            expected_version=expected_version(request.data),
            scores=d.get("scores", {}),
            values=d.get("values"),
            comments=d.get("comments"),
            opinion=d.get("opinion"),
            recommendation=d.get("recommendation"),
        )
        return Response(ReviewSerializer(review).data)


class ReviewFileUploadSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The review's version as read (optimistic lock).")
    file = serializers.FileField(required=False, help_text="The file answering the sheet's file field.")
    clear = serializers.BooleanField(required=False, default=False, help_text="Remove the stored file.")


class ReviewFileUpload(APIView):
    """A file field of the review's scoring sheet, by its stable key (issue #18): its expert uploads the file
    (multipart: `file`, `version`; kinds and size checked as on the web sheet) or clears it (`clear`:
    true); a new file replaces the stored one. Answers the review, its `files` carrying the stored file's
    name, size and download link."""

    permission_classes = [IsAuthenticated, HasRole]
    roles = (Role.EXPERT, Role.STAFF)
    write_roles = (Role.EXPERT,)
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request={"multipart/form-data": ReviewFileUploadSerializer}, responses=ReviewSerializer)
    def post(self, request, pk, key):
        review = get_visible_or_404(
            Review.objects.select_related("assignment"),
            user=request.user,
            visible=permissions.can_view_review,
            pk=pk,
        )
        ser = ReviewFileUploadSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        upload = d.get("file")
        if upload is None and not d["clear"]:
            raise ApplicationError(
                _("请上传文件（或以 clear 清除已有文件）。"), code="no_file", fields={"file": [_("必填。")]}
            )
        services.review_file_set(
            actor=request.user,
            review=review,
            key=key,
            data=None if upload is None else upload_bytes(upload),
            filename="" if upload is None else upload.name,
            expected_version=d["version"],
        )
        return Response(ReviewSerializer(Review.objects.get(pk=review.pk)).data)


class ReviewAction(APIView):
    """open (declare no conflict: `confirm: true` is the declaration, refused without it), decline (with
    reason), submit — by the expert; reopen, release — staff."""

    permission_classes = [IsAuthenticated, HasRole]
    roles = (Role.EXPERT, Role.STAFF)

    @extend_schema(
        request=inline_serializer(
            "ReviewActionIn",
            {
                "reason": serializers.CharField(required=False, max_length=REASON_LENGTH),
                "confirm": ConfirmField(),
            },
        ),
        responses=ReviewSerializer,
    )
    def post(self, request, pk, action):
        review = get_visible_or_404(
            Review.objects.select_related("assignment"),
            user=request.user,
            visible=permissions.can_view_review,
            pk=pk,
        )
        reason = free_text(request.data, "reason", REASON_LENGTH)
        if action == "open":
            if services.declaration_missing(review, request.user, request.data):
                # the declaration is the caller's `confirm: true`, not implied by the call (docs/security.md §40)
                message = str(services.DECLARATION_REQUIRED)
                raise ApplicationError(message, code="confirm", fields={"confirm": [message]})
            review = services.review_open(actor=request.user, review=review)
        elif action == "decline":
            review = services.review_decline(actor=request.user, review=review, reason=reason)
        elif action == "submit":
            review = services.review_submit(actor=request.user, review=review)
        elif action == "reopen":
            review = services.review_reopen(actor=request.user, review=review, reason=reason)
        elif action == "release":
            review = services.review_release(actor=request.user, review=review, released=True)
        else:
            from django.http import Http404

            raise Http404
        return Response(ReviewSerializer(review).data)


class CriterionInput(serializers.Serializer):
    code = serializers.SlugField(max_length=Criterion._meta.get_field("code").max_length)
    name = serializers.CharField(max_length=Criterion._meta.get_field("name").max_length)
    weight = serializers.DecimalField(max_digits=6, decimal_places=4)
    max_score = serializers.IntegerField(min_value=1, default=100)
    anchors = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX)


class FormCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX)
    criteria = CriterionInput(many=True)


class FormCreate(APIView):
    """Create a scoring form with weighted criteria (staff)."""

    permission_classes = [IsAuthenticated, HasRole]
    roles = (Role.STAFF,)

    @extend_schema(request=FormCreateSerializer, responses={201: dict})
    def post(self, request):
        ser = FormCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        form = services.form_create(
            actor=request.user,
            name=d["name"],
            description=d["description"],
            criteria=[dict(c) for c in d["criteria"]],
        )
        return Response({"id": form.pk, "name": form.name}, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("experts/", ExpertList.as_view(), name="review-expert-list"),
    path("experts/me/", MyProfile.as_view(), name="review-my-profile"),
    path("forms/", FormCreate.as_view(), name="review-form-create"),
    path("rounds/", RoundList.as_view(), name="review-round-list"),
    path("rounds/<int:pk>/", RoundDetail.as_view(), name="review-round-detail"),
    path("rounds/<int:pk>/assign/", RoundAssign.as_view(), name="review-round-assign"),
    path("rounds/<int:pk>/assignments/", RoundAssignments.as_view(), name="review-round-assignments"),
    path("rounds/<int:pk>/ranking/", RoundRanking.as_view(), name="review-round-ranking"),
    path("assignments/", MyAssignments.as_view(), name="review-my-assignments"),
    path("reviews/<int:pk>/", ReviewDetail.as_view(), name="review-review-detail"),
    path("reviews/<int:pk>/files/<str:key>/", ReviewFileUpload.as_view(), name="review-review-file"),
    path("reviews/<int:pk>/<str:action>/", ReviewAction.as_view(), name="review-review-action"),
]
