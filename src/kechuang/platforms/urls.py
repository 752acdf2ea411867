from django.urls import path

from . import views

app_name = "platforms"
urlpatterns = [
    path("", views.platform_list, name="list"),
    path("new/", views.platform_create, name="create"),
    path("statistics/", views.statistics, name="statistics"),
    path("import/", views.import_view, name="import"),
    path("<int:pk>/", views.platform_detail, name="detail"),
    path("<int:pk>/edit/", views.platform_edit, name="edit"),
    path("<int:pk>/transition/", views.platform_transition, name="transition"),
    path("<int:pk>/host/", views.platform_host_change, name="host-change"),
    path("<int:pk>/members/", views.membership_add, name="membership-add"),
    path("<int:pk>/members/<int:membership_pk>/end/", views.membership_end, name="membership-end"),
    path("<int:pk>/achievements/", views.achievement_add, name="achievement-add"),
    path("achievements/<int:pk>/evidence/", views.achievement_evidence, name="achievement-evidence"),
    path("<int:pk>/operators/", views.operator_assign, name="operator-assign"),
    path("reports/", views.report_list, name="reports"),
    path("reports/new/", views.report_create, name="report-create"),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report-edit"),
    path("reports/<int:pk>/transition/", views.report_transition, name="report-transition"),
    path("reorganisations/", views.reorganisation_list, name="reorganisations"),
    path("reorganisations/new/", views.reorganisation_create, name="reorganisation-create"),
    path("reorganisations/<int:pk>/", views.reorganisation_detail, name="reorganisation-detail"),
    path("lineage/", views.lineage, name="lineage"),
    path("overlap/", views.overlap, name="overlap"),
    path("overlap/decide/", views.overlap_decide, name="overlap-decide"),
]
