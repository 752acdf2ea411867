from django.urls import path

from . import views

app_name = "funds"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("applications/<int:pk>/budget/", views.application_budget, name="application-budget"),
    path("calls/<int:pk>/rules/", views.rules, name="rules"),
    path("projects/<int:pk>/", views.contract_funds, name="contract"),
    path("projects/<int:pk>/budget/", views.contract_budget, name="contract-budget"),
    path("projects/<int:pk>/open/", views.ledger_open, name="ledger-open"),
    path("projects/<int:pk>/cofunding/", views.cofunding, name="cofunding"),
    path("projects/<int:pk>/spending/", views.spending, name="spending"),
    path("projects/<int:pk>/adjustments/", views.adjustment_create, name="adjustment-create"),
    path("projects/<int:pk>/final/", views.final_account, name="final-account"),
    path("payments/<int:pk>/voucher/", views.voucher, name="voucher"),
    path("payments/<int:pk>/<slug:action>/", views.payment_action, name="payment-action"),
    path("adjustments/<int:pk>/decide/", views.adjustment_decide, name="adjustment-decide"),
    path("final/<int:pk>/<slug:action>/", views.final_action, name="final-action"),
]
