"""The JSON API of the open-challenge programme, mounted at /api/challenges/ (see docs/challenges.md)."""

from django.urls import path

from .dedup import ApplicationDuplicates, DuplicateDecide
from .views import (
    ApplicationDetail,
    ApplicationList,
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
    path("needs/", NeedList.as_view(), name="challenges-need-list"),
    path("topics/", TopicList.as_view(), name="challenges-topic-list"),
    path("applications/", ApplicationList.as_view(), name="challenges-application-list"),
    path("applications/<int:pk>/", ApplicationDetail.as_view(), name="challenges-application-detail"),
    path(
        "applications/<int:pk>/transition/",
        ApplicationTransition.as_view(),
        name="challenges-application-transition",
    ),
    path(
        "applications/<int:pk>/duplicates/",
        ApplicationDuplicates.as_view(),
        name="challenges-application-duplicates",
    ),
    path("duplicates/<int:pk>/decide/", DuplicateDecide.as_view(), name="challenges-duplicate-decide"),
    path("contracts/", ContractList.as_view(), name="challenges-contract-list"),
    path("contracts/<int:pk>/", ContractDetail.as_view(), name="challenges-contract-detail"),
    path("contracts/<int:pk>/changes/", ContractChangeRequests.as_view(), name="challenges-contract-changes"),
    path("changes/<int:pk>/decide/", ChangeRequestDecide.as_view(), name="challenges-change-decide"),
    path("contracts/<int:pk>/results/", ContractResults.as_view(), name="challenges-contract-results"),
    path("results/<int:pk>/transfers/", ResultTransfers.as_view(), name="challenges-result-transfers"),
    path("milestones/<int:pk>/", MilestoneAction.as_view(), name="challenges-milestone-action"),
    path("results/", ResultList.as_view(), name="challenges-result-list"),
]
