from django.urls import path

from . import views, views_analysis, views_contribution, views_frameworks

app_name = "indicators"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("list/", views.indicator_list, name="indicator-list"),
    path("new/", views.indicator_create, name="indicator-create"),
    path("i/<str:code>/", views.indicator_detail, name="indicator-detail"),
    path("i/<str:code>/edit/", views.indicator_edit, name="indicator-edit"),
    path("regions/", views.region_list, name="region-list"),
    path("values/new/", views.value_create, name="value-create"),
    path("values/<int:pk>/delete/", views.value_delete, name="value-delete"),
    path("import/", views.import_values, name="import"),
    path("import/template.xlsx", views.import_template, name="import-template"),
    path("targets/", views.target_list, name="target-list"),
    path("targets/new/", views.target_edit, name="target-create"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target-edit"),
    path("frameworks/", views.framework_list, name="framework-list"),
    path("frameworks/new/", views_frameworks.framework_new, name="framework-new"),
    path("frameworks/<int:pk>/", views.framework_detail, name="framework-detail"),
    path("frameworks/<int:pk>/edit/", views_frameworks.framework_edit, name="framework-edit"),
    path(
        "frameworks/<int:pk>/versions/<int:number>/",
        views_frameworks.framework_version,
        name="framework-version",
    ),
    path("frameworks/<int:pk>/node/", views.framework_node_update, name="framework-node"),
    path("frameworks/<int:pk>/run/", views.framework_run, name="framework-run"),
    path("runs/<int:pk>/", views.run_detail, name="run-detail"),
    path("runs/<int:pk>/analysis/", views_analysis.run_analysis, name="run-analysis"),
    path("contribution/", views_contribution.contribution, name="contribution"),
]
