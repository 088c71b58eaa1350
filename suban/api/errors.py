"""One error format for every failure: {"error": {"code", "message", "field", "details"}}."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.http.request import RawPostDataException
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from suban.errors import DomainError
from suban.nul import nul_message

logger = logging.getLogger(__name__)

CODE_OF_STATUS = {
    400: "invalid",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    429: "throttled",
}
# Where ninja puts a request value; the first part of an error's location.
SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}
# The names our views give their schema parameters; they are not part of the client's field name.
PARAM_NAMES = {"payload", "filters"}


def error_body(code: str, message: str, field: str | None = None, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field, "details": details}}


def error_response(status: int, code: str, message: str, field: str | None = None, details: Any = None) -> JsonResponse:
    return JsonResponse(
        error_body(code, message, field, details), status=status, json_dumps_params={"ensure_ascii": False}
    )


def field_of(loc: Any) -> str | None:
    parts = [str(p) for p in loc or ()]
    if parts and parts[0] in SOURCES:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in PARAM_NAMES:
        parts = parts[1:]
    return ".".join(parts) or None


# pydantic's error types, worded for people and naming the field; a type not listed says the value is not valid.
PROBLEMS: dict[str, Promise] = {
    "missing": gettext_lazy("%(field)s is required."),
    "extra_forbidden": gettext_lazy("There is no field %(field)s."),
    "string_too_long": gettext_lazy("%(field)s takes at most %(max_length)s characters."),
    "string_too_short": gettext_lazy("%(field)s needs at least %(min_length)s characters."),
    "too_long": gettext_lazy("%(field)s takes at most %(max_length)s items."),
    "too_short": gettext_lazy("%(field)s needs at least %(min_length)s items."),
    "string_type": gettext_lazy("%(field)s must be text."),
    "string_pattern_mismatch": gettext_lazy("%(field)s is not in the expected form."),
    "int_parsing": gettext_lazy("%(field)s must be a whole number."),
    "int_type": gettext_lazy("%(field)s must be a whole number."),
    "int_from_float": gettext_lazy("%(field)s must be a whole number."),
    "float_parsing": gettext_lazy("%(field)s must be a number."),
    "float_type": gettext_lazy("%(field)s must be a number."),
    "decimal_parsing": gettext_lazy("%(field)s must be a number."),
    "decimal_type": gettext_lazy("%(field)s must be a number."),
    "bool_parsing": gettext_lazy("%(field)s must be true or false."),
    "bool_type": gettext_lazy("%(field)s must be true or false."),
    "list_type": gettext_lazy("%(field)s must be a list."),
    "dict_type": gettext_lazy("%(field)s must be an object."),
    "model_type": gettext_lazy("%(field)s must be an object."),
    "model_attributes_type": gettext_lazy("%(field)s must be an object."),
    "date_parsing": gettext_lazy("%(field)s must be a date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": gettext_lazy("%(field)s must be a date (YYYY-MM-DD)."),
    "date_type": gettext_lazy("%(field)s must be a date (YYYY-MM-DD)."),
    "datetime_parsing": gettext_lazy("%(field)s must be a date and time (ISO 8601)."),
    "datetime_from_date_parsing": gettext_lazy("%(field)s must be a date and time (ISO 8601)."),
    "datetime_type": gettext_lazy("%(field)s must be a date and time (ISO 8601)."),
    "greater_than_equal": gettext_lazy("%(field)s must be at least %(ge)s."),
    "greater_than": gettext_lazy("%(field)s must be greater than %(gt)s."),
    "less_than_equal": gettext_lazy("%(field)s may be at most %(le)s."),
    "less_than": gettext_lazy("%(field)s must be less than %(lt)s."),
    "enum": gettext_lazy("%(field)s must be one of: %(expected)s."),
    "literal_error": gettext_lazy("%(field)s must be one of: %(expected)s."),
}


def _problem(error: dict[str, Any], field: str | None) -> str:
    """The error in the request's language, naming the field by its name in the API."""
    kind = str(error.get("type", ""))
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    params = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
    params["field"] = field or _("The request as a whole")
    if "expected" in params:  # "'a', 'b' or 'c'"
        params["expected"] = params["expected"].replace(" or ", ", ")
    if kind == "value_error":  # a schema's own check: its words, after the field's name
        problem = str(params.get("error") or error.get("msg", "")).removeprefix("Value error, ")
        return _("%(field)s: %(problem)s") % {"field": params["field"], "problem": problem}
    words = PROBLEMS.get(kind, gettext_lazy("%(field)s is not valid."))
    try:
        return str(words) % params
    except (KeyError, ValueError, TypeError):  # a context without the number the words name
        return _("%(field)s is not valid.") % {"field": params["field"]}


def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = []
    for e in exc.errors:
        field = field_of(e.get("loc"))
        details.append({"field": field, "message": _problem(e, field), "type": e.get("type")})
    first = details[0] if details else {"field": None, "message": _("The request is not valid.")}
    return error_response(400, "invalid", str(first["message"]), first["field"], details)


def nul_refused(request: HttpRequest, field: str) -> HttpResponse:
    """A NUL anywhere in the request (suban.nul), refused before the view runs."""
    message = nul_message(field)
    return error_response(400, "invalid", message, field, [{"field": field, "message": message, "type": "nul"}])


def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return error_response(exc.status, exc.code, exc.message, exc.field, exc.details)


def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    status = exc.status_code
    if isinstance(exc, Throttled):
        return error_response(
            429, "throttled", _("Too many requests; slow down and try again shortly."), details={"wait": exc.wait}
        )
    if isinstance(exc, AuthenticationError):
        message = exc.message if exc.message != "Unauthorized" else _("Log in or send a valid API token.")
        return error_response(401, "unauthorized", message)
    if status == 400 and exc.message.startswith("Cannot parse request body"):
        return error_response(400, "invalid", _("The request body is not valid JSON."))
    if status == 403 and "CSRF" in exc.message:
        return error_response(403, "csrf_failed", _("The CSRF token is missing or wrong; reload the page."))
    return error_response(status, CODE_OF_STATUS.get(status, "error"), exc.message)


def on_too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
    # RawPostDataException: a multipart body past DATA_UPLOAD_MAX_MEMORY_SIZE, whose fields suban.nul read from
    # the stream; ninja would have met RequestDataTooBig reading it.
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return error_response(
        413, "too_large", _("The request body is too large."), details={"limit_bytes": limit} if limit else None
    )


def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(404, "not_found", _("Not found."))


def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    return error_response(500, "server_error", _("Something went wrong on our side; try again later."))


def register_error_handlers(api: NinjaAPI) -> None:
    api.add_exception_handler(ValidationError, on_validation_error)  # type: ignore[arg-type]
    api.add_exception_handler(DomainError, on_domain_error)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, on_http_error)  # type: ignore[arg-type]
    api.add_exception_handler(Http404, on_not_found)  # type: ignore[arg-type]
    api.add_exception_handler(RequestDataTooBig, on_too_large)  # type: ignore[arg-type]
    api.add_exception_handler(RawPostDataException, on_too_large)  # type: ignore[arg-type]
    api.add_exception_handler(Exception, on_unexpected)  # type: ignore[arg-type]


def json_method_not_allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Ninja answers a wrong method itself, past the exception handlers; give that answer our format."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = error_response(
                405,
                "method_not_allowed",
                _("%(method)s is not allowed here.") % {"method": request.method},
                details={"allowed": [m.strip() for m in allowed.split(",")]},
            )
            response["Allow"] = allowed
        return response

    return wrapper


def not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return error_response(404, "not_found", _("There is no such API address."))
