from django.urls import path

from suban.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.home, name="home"),
    path("sources/<slug:name>/", views.source_page, name="source"),
    path("sources/<slug:name>/export.<str:fmt>", views.export, name="export"),
    path("sources/<slug:name>/mappings/", views.mapping_edit, name="mapping_new"),
    path("sources/<slug:name>/mappings/<slug:mapping>/", views.mapping_edit, name="mapping_edit"),
    path("batches/<int:pk>/", views.batch_page, name="batch"),
    path("batches/<int:pk>/run/", views.batch_run_view, name="run"),
    path("batches/<int:pk>/errors.csv", views.batch_errors, name="errors"),
]
