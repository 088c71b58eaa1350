from django.urls import URLPattern, path, re_path

from suban.api.api import api
from suban.api.errors import json_method_not_allowed, not_found_view, nul_refused
from suban.nul import answer_nul_with

ninja_patterns, ninja_app, ninja_namespace = api.urls
for pattern in ninja_patterns:
    if isinstance(pattern, URLPattern):
        pattern.callback = answer_nul_with(json_method_not_allowed(pattern.callback), nul_refused)

urlpatterns = [
    path("", (ninja_patterns, ninja_app, ninja_namespace)),
    # Anything else under /api/ is a 404 in the API's format, not the site's HTML page.
    re_path(r"", answer_nul_with(not_found_view, nul_refused)),
]
