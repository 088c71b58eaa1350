from django.urls import URLPattern, path, re_path

from suban.nul import answer_nul_with
from suban.open311 import views

app_name = "open311"
FMT = r"\.(?P<fmt>[a-z]+)$"
urlpatterns: list[URLPattern] = [
    path("", views.root, name="root"),
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.services, name="services"),
    re_path(r"^services/(?P<code>[^/]+?)" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.requests, name="requests"),
    re_path(r"^requests/(?P<number>[^/]+?)" + FMT, views.request_detail, name="request"),
    re_path(r"^tokens/(?P<value>[^/]+?)" + FMT, views.token, name="token"),
    re_path(r"^servicerequestupdates" + FMT, views.request_updates, name="updates"),
    path("media/<str:value>", views.media, name="media"),
    re_path(r"^(?P<rest>.*)$", views.not_found),
]

# A NUL anywhere in a request is refused as the spec's error list, like every other refusal here.
for pattern in urlpatterns:
    answer_nul_with(pattern.callback, views.nul_refused)
