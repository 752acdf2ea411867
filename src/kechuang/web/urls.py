from django.urls import path

from . import pickers, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("notifications/", views.notification_list, name="notifications"),
    # Search-as-you-type pickers (kechuang.core.pickers): JSON answers, each checks role and visibility.
    path("pick/units/", pickers.units, name="pick-units"),
    path("pick/experts/", pickers.experts, name="pick-experts"),
    path("pick/disciplines/", pickers.disciplines, name="pick-disciplines"),
    path("pick/users/", pickers.users, name="pick-users"),
    path("pick/platforms/", pickers.platforms, name="pick-platforms"),
    path("pick/indicators/", pickers.indicators, name="pick-indicators"),
    path("notifications/settings/", views.notice_settings, name="notice-settings"),
    path("notifications/emails/", views.email_list, name="email-list"),
    path("notifications/emails/<int:pk>/resend/", views.email_resend, name="email-resend"),
    path("pick/topics/", pickers.topics, name="pick-topics"),
    path("pick/review-forms/", pickers.review_forms, name="pick-review-forms"),
    path("pick/projects/", pickers.projects, name="pick-projects"),
    path("pick/objects/", pickers.objects, name="pick-objects"),
]
