"""NUL (U+0000) is in no text anyone types: PostgreSQL's text refuses it (psycopg raises DataError, a 500) and
SQLite keeps it silently. suban.web.middleware.RefuseNulMiddleware refuses every request that carries one, in its
address, query string, form fields or JSON body, with a 400 before any view reads it; a face whose answers are not
HTML pages marks its views with its own answer (`answer_nul_with`). A session cookie with one is no session
(suban.accounts.sessions); other cookies reach no query."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _

NulAnswer = Callable[[HttpRequest, str], HttpResponse]
View = Callable[..., Any]

NUL = "\x00"
_ATTRIBUTE = "suban_nul_answer"


def answer_nul_with(view: View, answer: NulAnswer) -> View:
    """Marks `view`: a request for it that carries a NUL is answered by answer(request, field)."""
    setattr(view, _ATTRIBUTE, answer)
    return view


def nul_answer_of(view: View) -> NulAnswer | None:
    return getattr(view, _ATTRIBUTE, None)


def nul_message(field: str) -> str:
    return _("%(field)s contains a NUL character (U+0000), which no text may hold.") % {"field": field}


def nul_page_message() -> str:
    """The pages' words: a person sent a form, not fields by their code names."""
    return _("What you sent contains a NUL character (U+0000), which no text may hold: remove it and send again.")


def _in_pairs(pairs: Iterable[tuple[str, list[str]]]) -> str | None:
    for name, values in pairs:
        if NUL in name or any(NUL in value for value in values):
            return name.replace(NUL, "\\u0000")
    return None


def _in_json(value: Any, at: str) -> str | None:
    if isinstance(value, str):
        return at if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{at}.{key}" if at else str(key)
            if NUL in key:
                return where.replace(NUL, "\\u0000")
            found = _in_json(item, where)
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _in_json(item, f"{at}.{index}" if at else str(index))
            if found is not None:
                return found
    return None


def find_nul(request: HttpRequest, path_kwargs: Mapping[str, Any]) -> str | None:
    """The name of the first part of the request that holds a NUL (a path parameter, a query or form field, a
    JSON body's field as a dotted path), "path" for the rest of the address, or None. A body that cannot be read
    (too large, too many fields, a broken upload) raises as it would in the view."""
    for name, value in path_kwargs.items():
        if isinstance(value, str) and NUL in value:
            return name
    if NUL in request.path_info:
        return "path"
    found = _in_pairs(request.GET.lists())
    if found is not None or request.method in ("GET", "HEAD", "OPTIONS"):
        return found
    if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is None or int(request.META.get("CONTENT_LENGTH") or 0) <= limit:
            # Kept, so that the fields are parsed from it and a view may still read the raw body (the API does).
            with suppress(RawPostDataException):  # the CSRF check has parsed the fields from the stream
                request.body  # noqa: B018
        return _in_pairs(request.POST.lists())
    # Any other body is read as the API reads it, as JSON whatever its type says. JSON writes a NUL in a string
    # only as the escape \u0000; a raw one is invalid JSON, which the view refuses as such.
    if b"\\u0000" not in request.body:
        return None
    try:
        return _in_json(json.loads(request.body), "")
    except ValueError:
        return None
