from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("results/", views.result_search, name="result-search"),
    path("results/new/", views.result_create, name="result-create"),
    path("results/<int:pk>/", views.result_detail, name="result-detail"),
    path("results/<int:pk>/edit/", views.result_edit, name="result-edit"),
    path("results/<int:pk>/do/<slug:action>/", views.result_action, name="result-action"),
    path("results/<int:pk>/confirm/<slug:action>/", views.result_confirm, name="result-confirm"),
    path("pick/people/", views.pick_people, name="pick-people"),
    path("contracts/", views.contract_list, name="contract-list"),
    path("contracts/new/", views.contract_create, name="contract-create"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract-detail"),
    path("contracts/<int:pk>/edit/", views.contract_edit, name="contract-edit"),
    path("contracts/<int:pk>/do/<slug:action>/", views.contract_action, name="contract-action"),
    path("contracts/<int:pk>/confirm/<slug:action>/", views.contract_confirm, name="contract-confirm"),
    path("stats/", views.stats, name="stats"),
]
