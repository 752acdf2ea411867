from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("profile/orcid/", views.profile_orcid, name="profile-orcid"),
    path("profile/language/", views.profile_language, name="profile-language"),
    path("2fa/", views.otp_verify, name="otp-verify"),
    path("2fa/setup/", views.otp_setup, name="otp-setup"),
    path("2fa/disable/", views.otp_disable, name="otp-disable"),
    path("users/<int:pk>/2fa-reset/", views.user_otp_reset, name="user-otp-reset"),
    path("tokens/new/", views.token_issue, name="token-issue"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password-change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("password/reset/done/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password/reset/complete/", views.PasswordResetCompleteView.as_view(), name="password-reset-complete"
    ),
    path("register/", views.unit_register, name="register"),
    path("register/units/", views.register_units, name="register-units"),
    path("register/confirm/<str:token>/", views.register_confirm, name="register-confirm"),
    path("email/confirm/<str:token>/", views.email_change_confirm, name="email-change-confirm"),
    path("units/", views.unit_list, name="unit-list"),
    path("units/import/", views.unit_import, name="unit-import"),
    path("units/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit-edit"),
    path("units/<int:pk>/verify/", views.unit_verify, name="unit-verify"),
    path("units/<int:pk>/reject/", views.unit_reject, name="unit-reject"),
    path("users/", views.user_list, name="user-list"),
    path("users/invite/", views.user_invite, name="user-invite"),
    path("users/duplicates/", views.user_duplicates, name="user-duplicates"),
    path("users/registrations/", views.registration_list, name="registration-list"),
    path("users/registrations/<int:pk>/resend/", views.registration_resend, name="registration-resend"),
    path("users/registrations/<int:pk>/withdraw/", views.registration_withdraw, name="registration-withdraw"),
    path(
        "users/registrations/claims/<int:pk>/resend/",
        views.registration_claim_resend,
        name="registration-claim-resend",
    ),
    path(
        "users/registrations/claims/<int:pk>/withdraw/",
        views.registration_claim_withdraw,
        name="registration-claim-withdraw",
    ),
    path("users/<int:pk>/", views.user_detail, name="user-detail"),
    path("users/<int:pk>/active/", views.user_set_active, name="user-active"),
    path("unit-changes/", views.change_request_list, name="change-request-list"),
    path("unit-changes/<int:pk>/", views.change_request_detail, name="change-request-detail"),
]
