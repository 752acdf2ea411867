"""The JSON API: each app contributes its routes in `<app>/api.py` as `urlpatterns`."""

from django.urls import include, path

app_name = "api"
urlpatterns = [
    path("", include("kechuang.accounts.api")),
    path("", include("kechuang.core.api_views")),
    path("platforms/", include("kechuang.platforms.api")),
    path("challenges/", include("kechuang.challenges.api")),
    path("review/", include("kechuang.review.api")),
    path("integrity/", include("kechuang.integrity.api")),
    path("evaluation/", include("kechuang.evaluation.api")),
    path("techmap/", include("kechuang.techmap.api")),
    path("indicators/", include("kechuang.indicators.api")),
    path("ingest/", include("kechuang.ingest.api")),
    path("funds/", include("kechuang.funds.api")),
    path("programmes/", include("kechuang.programmes.api")),
    path("registry/", include("kechuang.registry.api")),
    path("documents/", include("kechuang.documents.api")),
]
