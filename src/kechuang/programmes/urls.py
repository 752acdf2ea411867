from django.urls import path

from . import views

app_name = "programmes"
urlpatterns = [
    path("", views.index, name="index"),
    path("forms/new/", views.form_create, name="form-create"),
    path("forms/<int:pk>/", views.form_detail, name="form-detail"),
    path("forms/versions/<int:pk>/", views.form_version, name="form-version"),
    path("forms/versions/<int:pk>/fields/new/", views.field_edit, name="field-add"),
    path("forms/versions/<int:pk>/fields/<slug:key>/", views.field_edit, name="field-edit"),
    path("forms/versions/<int:pk>/action/", views.form_version_action, name="form-version-action"),
    path("forms/versions/<int:pk>/preview/", views.form_preview, name="form-preview"),
    path("forms/versions/<int:pk>/diff/", views.form_diff, name="form-diff"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("submissions/<int:pk>/files/<int:file_pk>/", views.submission_file, name="submission-file"),
    path("types/new/", views.programme_create, name="type-create"),
    path("types/<int:pk>/", views.programme_detail, name="type-detail"),
    path("types/versions/<int:pk>/", views.programme_version, name="version"),
    path("types/versions/<int:pk>/stages/new/", views.stage_edit, name="stage-add"),
    path("types/versions/<int:pk>/stages/<slug:key>/", views.stage_edit, name="stage-edit"),
    path("types/versions/<int:pk>/action/", views.programme_version_action, name="version-action"),
    path("types/versions/<int:pk>/diff/", views.programme_diff, name="version-diff"),
    path("types/versions/<int:pk>/export/", views.programme_export, name="version-export"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("calls/<int:pk>/fill/", views.call_fill, name="call-fill"),
    path("calls/<int:pk>/action/", views.call_action, name="call-action"),
    path("calls/<int:pk>/extend/", views.call_extend, name="call-extend"),
    path("calls/<int:pk>/formal/", views.formal_list, name="formal-list"),
    path("calls/<int:pk>/formal/<int:sub_pk>/", views.formal_check, name="formal-check"),
    path("calls/<int:pk>/award/", views.award_list, name="award-list"),
    path("calls/<int:pk>/award/<int:sub_pk>/", views.award_decide, name="award-decide"),
    path("calls/<int:pk>/shortlist/", views.shortlist_list, name="shortlist-list"),
    path("calls/<int:pk>/shortlist/<int:sub_pk>/", views.shortlist_decide, name="shortlist-decide"),
    path("calls/<int:pk>/correct/", views.call_correct, name="call-correct"),
    path("calls/<int:pk>/migrate/<int:version_pk>/", views.call_migrate, name="call-migrate"),
]
