from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("notifications/", views.notification_list, name="notifications"),
]
