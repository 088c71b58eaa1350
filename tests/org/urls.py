"""The site's URLs with the org pages mounted at /org/, whether or not suban/urls.py mounts them yet."""

from django.urls import URLResolver, include, path

from suban.urls import urlpatterns as site_patterns

mounted = any(isinstance(p, URLResolver) and p.namespace == "org" for p in site_patterns)
urlpatterns = list(site_patterns) if mounted else [*site_patterns, path("org/", include("suban.org.urls"))]
