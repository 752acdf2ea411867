"""The JSON API of the open-challenge programme, mounted at /api/challenges/ (see docs/challenges.md)."""

from django.urls import path

from .dedup import ApplicationDuplicates, DuplicateDecide
from .lifecycle import (
    ApplicationAttachments,
    ApplicationEdit,
    AttachmentDetail,
    ChallengeDecision,
    ChallengeDownSelect,
    ChallengeEdit,
    ChallengeObjections,
    ChallengePublicity,
    ChallengeReview,
    ContractAcceptance,
    ContractCommissioner,
    ContractEdit,
    ContractMidterm,
    ContractTransition,
    ObjectionAnswer,
)
from .performance import ContractPerformance
from .preapplications import ChallengePreApplications, PreApplicationShortlist
from .views import (
    ApplicationDetail,
    ApplicationList,
    ApplicationPartners,
    ApplicationTransition,
    ChallengeDetail,
    ChallengeList,
    ChallengeTransition,
    ChangeRequestDecide,
    ContractChangeRequests,
    ContractDetail,
    ContractList,
    ContractResults,
    MilestoneAction,
    NeedList,
    ResultList,
    ResultTransfers,
    TopicList,
)

urlpatterns = [
    path("", ChallengeList.as_view(), name="challenges-challenge-list"),
    path("<int:pk>/", ChallengeDetail.as_view(), name="challenges-challenge-detail"),
    path("<int:pk>/transition/", ChallengeTransition.as_view(), name="challenges-challenge-transition"),
    path("<int:pk>/edit/", ChallengeEdit.as_view(), name="challenges-challenge-edit"),
    path("<int:pk>/review/", ChallengeReview.as_view(), name="challenges-challenge-review"),
    path("<int:pk>/decision/", ChallengeDecision.as_view(), name="challenges-challenge-decision"),
    path("<int:pk>/publicity/", ChallengePublicity.as_view(), name="challenges-challenge-publicity"),
    path("<int:pk>/objections/", ChallengeObjections.as_view(), name="challenges-challenge-objections"),
    path("objections/<int:pk>/answer/", ObjectionAnswer.as_view(), name="challenges-objection-answer"),
    path("<int:pk>/downselect/", ChallengeDownSelect.as_view(), name="challenges-challenge-downselect"),
    path(
        "<int:pk>/pre-applications/",
        ChallengePreApplications.as_view(),
        name="challenges-challenge-pre-applications",
    ),
    path(
        "pre-applications/<int:pk>/shortlist/",
        PreApplicationShortlist.as_view(),
        name="challenges-pre-application-shortlist",
    ),
    path("needs/", NeedList.as_view(), name="challenges-need-list"),
    path("topics/", TopicList.as_view(), name="challenges-topic-list"),
    path("applications/", ApplicationList.as_view(), name="challenges-application-list"),
    path("applications/<int:pk>/", ApplicationDetail.as_view(), name="challenges-application-detail"),
    path(
        "applications/<int:pk>/transition/",
        ApplicationTransition.as_view(),
        name="challenges-application-transition",
    ),
    path("applications/<int:pk>/edit/", ApplicationEdit.as_view(), name="challenges-application-edit"),
    path(
        "applications/<int:pk>/attachments/",
        ApplicationAttachments.as_view(),
        name="challenges-application-attachments",
    ),
    path("attachments/<int:pk>/", AttachmentDetail.as_view(), name="challenges-attachment-detail"),
    path(
        "applications/<int:pk>/partners/",
        ApplicationPartners.as_view(),
        name="challenges-application-partners",
    ),
    path(
        "applications/<int:pk>/duplicates/",
        ApplicationDuplicates.as_view(),
        name="challenges-application-duplicates",
    ),
    path("duplicates/<int:pk>/decide/", DuplicateDecide.as_view(), name="challenges-duplicate-decide"),
    path("contracts/", ContractList.as_view(), name="challenges-contract-list"),
    path("contracts/<int:pk>/", ContractDetail.as_view(), name="challenges-contract-detail"),
    path("contracts/<int:pk>/edit/", ContractEdit.as_view(), name="challenges-contract-edit"),
    path(
        "contracts/<int:pk>/commissioner/",
        ContractCommissioner.as_view(),
        name="challenges-contract-commissioner",
    ),
    path(
        "contracts/<int:pk>/transition/", ContractTransition.as_view(), name="challenges-contract-transition"
    ),
    path("contracts/<int:pk>/midterm/", ContractMidterm.as_view(), name="challenges-contract-midterm"),
    path(
        "contracts/<int:pk>/acceptance/", ContractAcceptance.as_view(), name="challenges-contract-acceptance"
    ),
    path(
        "contracts/<int:pk>/performance/",
        ContractPerformance.as_view(),
        name="challenges-contract-performance",
    ),
    path("contracts/<int:pk>/changes/", ContractChangeRequests.as_view(), name="challenges-contract-changes"),
    path("changes/<int:pk>/decide/", ChangeRequestDecide.as_view(), name="challenges-change-decide"),
    path("contracts/<int:pk>/results/", ContractResults.as_view(), name="challenges-contract-results"),
    path("results/<int:pk>/transfers/", ResultTransfers.as_view(), name="challenges-result-transfers"),
    path("milestones/<int:pk>/", MilestoneAction.as_view(), name="challenges-milestone-action"),
    path("results/", ResultList.as_view(), name="challenges-result-list"),
]
