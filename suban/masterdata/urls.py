from django.urls import path, re_path

from suban.masterdata import views
from suban.masterdata.columns import ImportKind

app_name = "masterdata"

_KIND = "(?P<kind>{})".format("|".join(ImportKind.values))

urlpatterns = [
    path("import/", views.import_page, name="import"),
    re_path(rf"^template/{_KIND}\.xlsx$", views.template_download, name="template"),
    re_path(rf"^export/{_KIND}\.xlsx$", views.export_download, name="export"),
]
