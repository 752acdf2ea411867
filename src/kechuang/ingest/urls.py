from django.urls import path

from . import views

app_name = "ingest"
urlpatterns = [
    path("", views.document_list, name="document-list"),
    path("upload/", views.upload, name="upload"),
    path("documents/<int:pk>/", views.document_detail, name="document-detail"),
    path("documents/<int:pk>/original/", views.document_original, name="document-original"),
    path("documents/<int:pk>/edit/", views.document_edit, name="document-edit"),
    path("documents/<int:pk>/<str:action>/", views.document_action, name="document-action"),
    path("changes/<int:pk>/revert/", views.change_revert, name="change-revert"),
    path("facts/", views.fact_queue, name="fact-queue"),
    path("facts/accept/", views.fact_accept_many, name="fact-accept-many"),
    path("facts/<int:pk>/", views.fact_detail, name="fact-detail"),
    path("facts/<int:pk>/check/", views.fact_check, name="fact-check"),
    path("facts/<int:pk>/<str:action>/", views.fact_action, name="fact-action"),
]
