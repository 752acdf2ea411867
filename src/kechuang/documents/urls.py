from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("verify/", views.verify_file, name="verify-file"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("projects/<int:pk>/issue/<slug:kind>/", views.issue, name="issue"),
    path("payments/<int:pk>/issue/", views.issue_payment, name="issue-payment"),
    path("<int:pk>/download/", views.download, name="download"),
    path("projects/<int:pk>/archive/", views.archive_build, name="archive-build"),
    path("archives/<int:pk>/download/", views.archive_download, name="archive-download"),
    path("opendata/", views.opendata, name="opendata"),
    path("opendata/latest.zip", views.opendata_download, name="opendata-download"),
    path("opendata/build/", views.opendata_build, name="opendata-build"),
    path("opendata/vocab/<slug:name>/", views.opendata_vocab, name="opendata-vocab"),
    path("opendata/oai/", views.opendata_oai, name="opendata-oai"),
]
