"""The master-data pages mounted as the project will mount them, beside the admin and the log-in page they use."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("masterdata/", include("suban.masterdata.urls")),
    path("", include("suban.web.urls")),
]
