from typing import Any

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic.base import RedirectView


class FaviconRedirect(RedirectView):
    """Resolved per request: with the manifest storage (DEBUG off) the hashed name exists only after
    collectstatic, which must not be needed to import the URLconf."""

    permanent = True

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str:
        return static("web/favicon.svg")


urlpatterns = [
    path("favicon.ico", FaviconRedirect.as_view()),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("org/", include("suban.org.urls")),
    path("masterdata/", include("suban.masterdata.urls")),
    path("api/", include("suban.api.urls")),
    path("h5/", include("suban.h5.urls")),
    path("open311/v2/", include("suban.open311.urls")),
    path("console/citysync/", include("suban.citysync.urls")),
    path("console/exchange/", include("suban.exchange.urls")),
    path("console/assessment/", include("suban.assess.urls")),
    path("dashboard/", include("suban.dashboard.urls")),
    path("console/", include("suban.gridwork.urls")),
    path("console/", include("suban.console.urls")),
    path("", include("suban.web.urls")),
]

handler404 = "suban.web.errors.page_not_found"
handler403 = "suban.web.errors.permission_denied"
handler500 = "suban.web.errors.server_error"
