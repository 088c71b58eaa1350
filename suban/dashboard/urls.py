"""The leaders' big screen at /dashboard/; its data comes from /api/dashboard/."""

from django.urls import URLPattern, path

from suban.dashboard import views

app_name = "dashboard"
urlpatterns: list[URLPattern] = [
    path("", views.screen, name="screen"),
]
