from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerView

from kechuang.core.api_views import CachedSchemaView
from kechuang.web import views as web_views

# The API docs page runs the bundled Swagger UI, which sets styles from script: only it may use inline styles;
# scripts stay limited to our origin and the nonce. (No Redoc page: its bundle loads a logo from a third
# party and needs blob: workers; Swagger UI serves the same schema.) See docs/security.md.
_docs_csp = csp_replace({"style-src": [SELF, UNSAFE_INLINE]})

urlpatterns = [
    path("", include("kechuang.web.urls")),
    path("accounts/", include("kechuang.accounts.urls")),
    path("jobs/", include("kechuang.core.urls")),
    path("platforms/", include("kechuang.platforms.urls")),
    path("challenges/", include("kechuang.challenges.urls")),
    path("review/", include("kechuang.review.urls")),
    path("integrity/", include("kechuang.integrity.urls")),
    path("evaluation/", include("kechuang.evaluation.urls")),
    path("techmap/", include("kechuang.techmap.urls")),
    path("indicators/", include("kechuang.indicators.urls")),
    path("ingest/", include("kechuang.ingest.urls")),
    path("funds/", include("kechuang.funds.urls")),
    path("programmes/", include("kechuang.programmes.urls")),
    path("documents/", include("kechuang.documents.urls")),
    path("registry/", include("kechuang.registry.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("kechuang.api_urls")),
    path("api/schema/", CachedSchemaView.as_view(), name="schema"),
    path(
        "api/docs/",
        _docs_csp(
            SpectacularSwaggerView.as_view(url_name="schema", template_name="web/api_docs/swagger_ui.html")
        ),
        name="swagger-ui",
    ),
]

handler400 = web_views.bad_request
handler403 = web_views.permission_denied
handler404 = web_views.page_not_found
handler500 = web_views.server_error

# No URL serves the uploaded files' storage (MEDIA_ROOT), in any mode: they go out only through the views
# that check permission (core.uploads.uploaded_file_response). docs/security.md section 3.
