from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.job_list, name="job-list"),
    path("audit/", views.audit_log, name="audit-log"),
    path("<uuid:pk>/", views.job_detail, name="job-detail"),
]
