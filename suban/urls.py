from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic.base import RedirectView

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url=static("web/favicon.svg"), permanent=True)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("org/", include("suban.org.urls")),
    path("masterdata/", include("suban.masterdata.urls")),
    path("api/", include("suban.api.urls")),
    path("h5/", include("suban.h5.urls")),
    path("console/", include("suban.gridwork.urls")),
    path("console/", include("suban.console.urls")),
    path("", include("suban.web.urls")),
]
