"""The Open311 GeoReport v2 endpoints under /open311/v2/, each in XML and JSON (the format is the path's
extension). Every refusal is the spec's error list: 404 for what does not exist, 403 for a missing or bad
api_key, 400 for the rest; 429 when a client goes over its rate limit."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from suban.cases.attachments import open_attachment
from suban.cases.models import Case, CaseEvent
from suban.errors import DomainError, NotFound
from suban.nul import nul_message
from suban.open311 import presenters, query
from suban.open311.attributes import definition
from suban.open311.catalogue import matter_for, service_list
from suban.open311.intake import Problems, Sent, open311_submit
from suban.open311.keys import key_for, throttle
from suban.open311.models import ApiKey, Submission
from suban.open311.render import FORMATS, MIME, errors, respond
from suban.org.directory import directory

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When the definitions below last changed in a way clients should notice (discovery's changeset).
CHANGESET = "2026-11-30T00:00:00+08:00"
SENT_FIELDS = (
    "service_code",
    "lat",
    "long",
    "address_string",
    "address_id",
    "description",
    "media_url",
    "first_name",
    "last_name",
    "phone",
    "email",
    "account_id",
    "device_id",
)

View = Callable[..., HttpResponse]
# What presenters.request reads of a case and its relations (a page holds up to a thousand).
CASE_FIELDS = (
    *("number", "status", "title", "text", "limit_days", "created_at", "updated_at", "closed_at", "due_at"),
    *("address", "area_path", "latitude", "longitude", "confidential", "decline_reason", "reply", "unit_path"),
    *("matter__code", "matter__name", "unit__name", "merged_into__number"),
    *("open311__token", "open311__media", "open311__media_url"),
)


def endpoint(*methods: str, key_required: bool = False) -> Callable[[View], View]:
    """Checks what every method shares: the format, the HTTP method, the jurisdiction, the api_key and the
    rate limit; then maps the domain's refusals to the spec's errors. The view gets (request, fmt, ctx)."""

    def wrap(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def run(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            if fmt not in FORMATS:
                return errors("xml", 404, _("There is no format %(fmt)s; use xml or json.") % {"fmt": fmt})
            if request.method not in methods:
                response = errors(fmt, 405, _("%(method)s is not allowed here.") % {"method": request.method})
                response["Allow"] = ", ".join(methods)
                return response
            params = request.POST if request.method == "POST" else request.GET
            jurisdiction = params.get("jurisdiction_id", "").strip()
            district_path = None
            if jurisdiction:
                found = directory().by_code.get(jurisdiction)
                if found is None or found not in directory().districts:
                    return errors(fmt, 404, _("There is no jurisdiction %(id)s.") % {"id": jurisdiction})
                district_path = found.path
            raw_key = params.get("api_key", "").strip()
            key: ApiKey | None = key_for(raw_key) if raw_key else None
            if raw_key and key is None:
                return errors(fmt, 403, _("Invalid api_key received; ask the platform for a key."))
            if key_required and key is None:
                return errors(fmt, 403, _("An api_key is required to create a request."))
            wait = throttle(request, key)
            if wait is not None:
                response = errors(
                    fmt, 429, _("Too many requests; try again in %(s)d seconds.") % {"s": math.ceil(wait)}
                )
                response["Retry-After"] = str(math.ceil(wait))
                return response
            try:
                return view(request, fmt, key=key, district_path=district_path, **kwargs)
            except Problems as exc:
                return errors(fmt, 400, *exc.problems)
            except NotFound as exc:
                return errors(fmt, 404, exc.message)
            except DomainError as exc:
                return errors(fmt, 403 if exc.status == 403 else 400, exc.message)

        return run

    return wrap


def _media_url(request: HttpRequest) -> Callable[[Case], str]:
    def find(case: Case) -> str:
        submission: Submission | None = getattr(case, "open311", None)
        if submission is None:
            return ""
        if submission.media_id is not None:
            return request.build_absolute_uri(reverse("open311:media", args=[submission.token]))
        return submission.media_url

    return find


def _cases(district_path: str | None) -> QuerySet[Case]:
    qs = Case.objects.select_related("matter", "unit", "merged_into", "open311").only(*CASE_FIELDS)
    # A complaint about the staff of a unit is published nowhere: that unit's staff may read this list too.
    return query.in_jurisdiction(qs.filter(complained_path=""), district_path)


def _present(request: HttpRequest, cases: list[Case], notes: bool) -> list[dict[str, Any]]:
    media = _media_url(request)
    steps: dict[int, list[presenters.Step]] = defaultdict(list)
    if notes:
        for step in presenters.public_steps(c.pk for c in cases):
            steps[step["case_id"]].append(step)
    units = directory()
    names = presenters.unit_names((s for case_steps in steps.values() for s in case_steps), units)
    return [
        presenters.request(
            case,
            units=units,
            media_url=media,
            notes=[presenters.note(s, names) for s in steps[case.pk]] if notes else None,
        )
        for case in cases
    ]


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str, **_ctx: Any) -> HttpResponse:
    payload = {
        "changeset": CHANGESET,
        "contact": _("Contact the district's 12345 service centre about this interface."),
        "key_service": _("A client that creates requests needs an API key: ask the platform's administrators."),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": request.build_absolute_uri(reverse("open311:root")).rstrip("/"),
                "changeset": CHANGESET,
                "type": "production",
                "formats": [MIME["xml"], MIME["json"]],
            }
        ],
    }
    return respond(fmt, "discovery", payload)


@endpoint("GET")
def services(request: HttpRequest, fmt: str, **_ctx: Any) -> HttpResponse:
    return respond(fmt, "services", service_list())


@endpoint("GET")
def service_definition(request: HttpRequest, fmt: str, code: str, **_ctx: Any) -> HttpResponse:
    known, _matter = matter_for(code)
    if not known:
        raise NotFound(_("There is no service %(code)s.") % {"code": code})
    return respond(fmt, "service_definition", definition(code))


def _sent(request: HttpRequest) -> Sent:
    sent = Sent()
    for name in SENT_FIELDS:
        setattr(sent, name, request.POST.get(name, ""))
    for name in request.POST:
        if name.startswith("attribute[") and "]" in name:
            code = name[len("attribute[") : name.index("]")]
            sent.attributes.setdefault(code, []).extend(request.POST.getlist(name))
    return sent


@endpoint("GET", "POST")
def requests(request: HttpRequest, fmt: str, key: ApiKey | None, district_path: str | None) -> HttpResponse:
    if request.method == "POST":
        if key is None:
            return errors(fmt, 403, _("An api_key is required to create a request."))
        files = request.FILES.getlist("media")
        if len(files) > 1:
            raise Problems([_("Send one media file with a request.")])
        case, _submission = open311_submit(key=key, sent=_sent(request), media=files[0] if files else None)
        payload = [
            {
                "service_request_id": case.number,
                "service_notice": _(
                    "Received. The dispatch centre accepts it and sends it to the unit responsible for it."
                ),
                "account_id": _submission.account_id or None,
            }
        ]
        return respond(fmt, "service_requests", payload)
    filters = query.parse(request.GET)
    qs = query.apply(_cases(district_path), filters)
    return respond(fmt, "service_requests", _present(request, list(query.page(qs, filters)), filters.extensions))


@endpoint("GET")
def request_detail(
    request: HttpRequest, fmt: str, number: str, key: ApiKey | None, district_path: str | None
) -> HttpResponse:
    extensions = request.GET.get("extensions", "").strip().lower() == "true"
    case = _cases(district_path).filter(number=number).first()
    if case is None:
        raise NotFound(_("There is no service request %(id)s.") % {"id": number})
    return respond(fmt, "service_requests", _present(request, [case], extensions))


@endpoint("GET")
def token(request: HttpRequest, fmt: str, value: str, key: ApiKey | None, district_path: str | None) -> HttpResponse:
    submission = Submission.objects.select_related("case").filter(token=value).first()
    if submission is None or (district_path and not submission.case.unit_path.startswith(district_path)):
        raise NotFound(_("There is no token %(token)s.") % {"token": value})
    return respond(fmt, "service_requests", [{"service_request_id": submission.case.number, "token": value}])


@endpoint("GET")
def request_updates(request: HttpRequest, fmt: str, key: ApiKey | None, district_path: str | None) -> HttpResponse:
    events = CaseEvent.objects.filter(case__complained_path="")  # see _cases
    if district_path:
        events = events.filter(case__unit_path__startswith=district_path)
    qs, number, size = query.updates(events, request.GET)
    rows = list(qs.values(*presenters.STEP_FIELDS)[(number - 1) * size : number * size])
    names = presenters.unit_names(rows, directory())
    return respond(fmt, "service_requests_updates", [presenters.update(e, names) for e in rows])


def media(request: HttpRequest, value: str) -> HttpResponseBase:
    """The file a client sent with its request: public, like a media_url, unless the case is confidential."""
    submission = Submission.objects.select_related("case", "media").filter(token=value).first()
    if (
        submission is None
        or submission.media is None
        or submission.case.confidential
        or submission.case.complained_path
    ):
        return errors("xml", 404, _("There is no such media."))
    response = FileResponse(open_attachment(submission.media), content_type=submission.media.content_type)
    response["Content-Length"] = str(submission.media.size)
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def root(request: HttpRequest) -> HttpResponse:
    """The base URL itself: the discovery document, as the spec suggests."""
    return discovery(request, "xml")


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    fmt = "json" if rest.endswith(".json") else "xml"
    return errors(fmt, 404, _("There is no such Open311 resource; see discovery.xml."))


def nul_refused(request: HttpRequest, field: str) -> HttpResponse:
    """A NUL anywhere in the request (suban.nul), refused before the view runs."""
    fmt = "json" if request.path.endswith(".json") else "xml"
    return errors(fmt, 400, nul_message(field))
