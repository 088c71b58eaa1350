from django.urls import URLPattern, URLResolver

app_name = "gridwork"
urlpatterns: list[URLPattern | URLResolver] = []
