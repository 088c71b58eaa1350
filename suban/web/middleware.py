import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils import translation
from django.utils.html import format_html

from suban.nul import find_nul, nul_answer_of, nul_page_message


class LanguageMiddleware:
    """Chinese unless the person chose another language (the language cookie set by /i18n/setlang/).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a staff member on an
    English-language browser would get English pages; this platform speaks Chinese by default.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class RefuseNulMiddleware:
    """A request with a NUL anywhere (suban.nul) gets a 400 before its view runs: in the format its face marked
    the view with, else as a page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        answer = nul_answer_of(view)
        try:
            field = find_nul(request, kwargs)
        except (SuspiciousOperation, BadRequest, MultiPartParserError):
            if answer is None:
                raise  # Django answers 400, as it would have when the view read the body
            return None  # the view meets the same trouble and answers it in its face's format
        if field is None:
            return None
        if answer is not None:
            return answer(request, field)
        if request.headers.get("HX-Request") == "true":
            return _refused_in_place(request)
        return render(request, "web/400.html", {"message": nul_page_message()}, status=400)


_ELEMENT_ID = re.compile(r"[A-Za-z][\w-]*")


def _refused_in_place(request: HttpRequest) -> HttpResponse:
    """An htmx request (the console's forms) would swap a whole error page into the panel it targets, and the
    words typed with it: the reason goes at the top of the form that sent it instead (htmx names it in
    HX-Trigger), or of the page."""
    message = format_html('<p class="msg error" role="alert" data-testid="error-400">{}</p>', nul_page_message())
    sender = request.headers.get("HX-Trigger", "")
    target = f"#{sender}" if _ELEMENT_ID.fullmatch(sender) else "body"
    return HttpResponse(message, status=400, headers={"HX-Retarget": target, "HX-Reswap": "afterbegin"})
