from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("experts/", views.expert_list, name="expert-list"),
    path("experts/import/", views.expert_import, name="expert-import"),
    path("experts/<int:pk>/", views.expert_detail, name="expert-detail"),
    path("experts/<int:pk>/credit/", views.expert_credit, name="expert-credit"),
    path("experts/<int:pk>/<str:action>/", views.expert_transition, name="expert-transition"),
    path("profile/", views.my_profile, name="my-profile"),
    path("my/", views.my_assignments, name="my-assignments"),
    path("reviews/<int:pk>/", views.review_detail, name="review-detail"),
    path("reviews/files/<int:pk>/", views.review_file_download, name="review-file-download"),
    path("reviews/<int:pk>/<str:action>/", views.review_action, name="review-action"),
    path("rounds/", views.round_list, name="round-list"),
    path("rounds/new/", views.round_create, name="round-create"),
    path("rounds/<int:pk>/", views.round_detail, name="round-detail"),
    path("rounds/<int:pk>/settings/", views.round_settings, name="round-settings"),
    path("rounds/<int:pk>/assign/", views.round_assign, name="round-assign"),
    path("rounds/<int:pk>/panel/", views.round_panel, name="round-panel"),
    path("rounds/<int:pk>/do/<str:action>/", views.round_transition, name="round-transition"),
    path("assignments/<int:pk>/swap/", views.assignment_swap, name="assignment-swap"),
    path("assignments/<int:pk>/release/", views.assignment_release, name="assignment-release"),
    path("calls/<int:pk>/open/", views.call_review_open, name="call-review-open"),
]
