"""The error pages: in the site's language and look, in the face the person was using (the citizen's H5 or
the staff site), with DEBUG on as well as off.

With DEBUG on Django shows its technical pages, in English, for a 404 or 403 raised by a view: a citizen who
opened someone else's request in the demo saw one. ErrorPagesMiddleware answers those with the site's pages
whatever DEBUG says; the URL handlers (handler404, handler403, handler500) do the same when DEBUG is off. A
404 says nothing of what exists; a 403 gives the view's reason, which is written for the person (a domain
error's message). A URL that matches no route keeps Django's technical page while DEBUG is on: it is the
developer's list of routes, and the demo's links do not lead there. The API and Open311 answer errors in their
own formats before anything here sees them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

H5_PREFIX = "/h5/"


def _face(request: HttpRequest) -> str:
    return "h5" if request.path.startswith(H5_PREFIX) else "web"


def _page(request: HttpRequest, status: int, context: dict[str, object]) -> HttpResponse:
    template = loader.get_template(f"{_face(request)}/{status}.html")
    return HttpResponse(template.render(context, request), status=status)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404, {})


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reason = exception.args[0] if exception is not None and exception.args else ""
    return _page(request, 403, {"reason": reason if isinstance(reason, str) else ""})


def server_error(request: HttpRequest) -> HttpResponse:
    """No context processors and no database: whatever broke may be behind them."""
    return HttpResponse(loader.get_template("500.html").render(), status=500)


class ErrorPagesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return permission_denied(request, exception)
        return None
