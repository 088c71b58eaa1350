"""The master-data pages mounted as the project will mount them, beside the admin, the log-in page and the
language switch that they (and the site's error pages) use."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("masterdata/", include("suban.masterdata.urls")),
    path("", include("suban.web.urls")),
]
