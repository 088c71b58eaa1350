from django.urls import URLPattern, path, re_path

from suban.api.api import api
from suban.api.errors import json_method_not_allowed, not_found_view

ninja_patterns, ninja_app, ninja_namespace = api.urls
for pattern in ninja_patterns:
    if isinstance(pattern, URLPattern):
        pattern.callback = json_method_not_allowed(pattern.callback)

urlpatterns = [
    path("", (ninja_patterns, ninja_app, ninja_namespace)),
    # Anything else under /api/ is a 404 in the API's format, not the site's HTML page.
    re_path(r"", not_found_view),
]
