from django.urls import path

from suban.assess import views

app_name = "assess"
urlpatterns = [
    path("", views.rankings, name="rankings"),
    path("units/<int:unit_id>/", views.unit_page, name="unit"),
    path("cases/", views.drill, name="cases"),
    path("matters/cases/", views.matter_drill, name="matter_cases"),
    path("cases/<str:number>/ruling/", views.ruling, name="ruling"),
    path("reports/<str:kind>/", views.report_page, name="report"),
    path("reports/<str:kind>/file.<str:fmt>", views.report_file, name="report_file"),
]
