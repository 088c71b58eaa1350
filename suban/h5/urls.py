from django.urls import URLPattern, URLResolver

app_name = "h5"
urlpatterns: list[URLPattern | URLResolver] = []
