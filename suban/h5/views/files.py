"""Files and map data. An attachment is streamed only to a person who may see its case (MEDIA_URL is never
served); the grid map reads a light GeoJSON of the grids."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.views.decorators.http import condition, require_GET

from suban.accounts.access import acting
from suban.cases.attachments import attachment_for, open_attachment
from suban.h5.access import citizen_required
from suban.org.geojson_io import units_for_export
from suban.org.models import Unit

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def _chunks(handle: Any, start: int, length: int) -> Any:
    try:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            data = handle.read(min(CHUNK, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        handle.close()


@require_GET
@login_required
def attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The file, to whoever may see its case: the citizen who asked (files of public steps), staff in reach.
    Answers byte ranges, which phones need to play a video."""
    found = attachment_for(acting(request), pk)
    if found is None:
        raise Http404
    handle = open_attachment(found)
    size = found.size
    match = RANGE.match(request.headers.get("Range", "").strip())
    response: HttpResponse | StreamingHttpResponse
    if match and (match.group(1) or match.group(2)):
        first, last = match.groups()
        if first:
            start, end = int(first), min(int(last) if last else size - 1, size - 1)
        else:  # the last N bytes
            start, end = max(size - int(last), 0), size - 1
        if start > end or start >= size:
            handle.close()
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        response = StreamingHttpResponse(_chunks(handle, start, end - start + 1), status=206)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
        response["Content-Type"] = found.content_type
    else:
        response = FileResponse(handle, content_type=found.content_type)
        response["Content-Length"] = str(size)
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _grids_etag(request: HttpRequest) -> str:
    """Changes when a grid is added, edited, moved or switched off (all units count: a switched-off grid
    leaves the export but changes its own updated_at)."""
    stamp = Unit.objects.aggregate(updated=Max("updated_at"), count=Count("pk"))
    updated: datetime | None = stamp["updated"]
    return f"{stamp['count']}-{updated.timestamp() if updated else 0}"


@require_GET
@citizen_required
@condition(etag_func=_grids_etag)
def grids_geojson(request: HttpRequest) -> HttpResponse:
    """Active grids as GeoJSON, for the map on which a citizen picks the place: code and names only."""
    units = units_for_export().select_related("parent").order_by("path")
    features = [
        {
            "type": "Feature",
            "geometry": unit.boundary,
            "properties": {"code": unit.code, "name": unit.name, "community": _parent_name(unit)},
        }
        for unit in units
        if unit.boundary
    ]
    response = JsonResponse(
        {"type": "FeatureCollection", "features": features},
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
    )
    response["Cache-Control"] = "private, max-age=300"
    return response


def _parent_name(unit: Unit) -> str:
    return unit.parent.name if unit.parent is not None else ""
