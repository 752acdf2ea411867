from django.urls import path

from . import views

app_name = "integrity"
urlpatterns = [
    path("", views.record_list, name="record-list"),
    path("new/", views.record_create, name="record-create"),
    path("import/", views.record_import, name="record-import"),
    path("<int:pk>/", views.record_detail, name="record-detail"),
    path("<int:pk>/do/<str:action>/", views.record_transition, name="record-transition"),
]
