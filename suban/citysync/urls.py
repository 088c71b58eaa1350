"""The sync's console pages (mounted at /console/citysync/)."""

from django.urls import path

from suban.citysync import views

app_name = "citysync"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("deliveries/<int:pk>/replay/", views.replay_one, name="replay_one"),
    path("webhooks/<int:pk>/replay/", views.replay_webhook, name="replay_webhook"),
]
