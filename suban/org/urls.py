from django.urls import path

from suban.org import views

app_name = "org"

urlpatterns = [
    path("grids.geojson", views.grids_geojson, name="grids_geojson"),
    path("grids/import/", views.grids_import_page, name="grids_import"),
]
