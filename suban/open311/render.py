"""The two formats of the spec. XML is the reference; JSON is its Spark-convention mapping: a list element's
children become an array, everything else an object; the root of a list is the array itself."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse
from django.utils import timezone

FORMATS = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
MIME = {"xml": "text/xml", "json": "application/json"}
# Characters XML 1.0 cannot carry even escaped (a pasted control character would make the document invalid).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# The element of each item of a list, by the list's element.
ITEM = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "notes": "note",
    "service_requests_updates": "request_update",
}


def w3c(moment: datetime | None) -> str | None:
    """2026-11-30T09:30:00+08:00: the W3C profile of ISO 8601 with the offset, as the spec requires."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return NOT_XML.sub("", str(value))


def _build(parent: ET.Element, name: str, value: Any) -> None:
    node = ET.SubElement(parent, name)
    _fill(node, name, value)


def _fill(node: ET.Element, name: str, value: Any) -> None:
    if isinstance(value, list):
        item = ITEM[name]
        for entry in value:
            _build(node, item, entry)
    elif isinstance(value, dict):
        for key, entry in value.items():
            _build(node, key, entry)
    else:
        node.text = _text(value)


def to_xml(root: str, payload: Any) -> bytes:
    element = ET.Element(root)
    _fill(element, root, payload)
    body: bytes = ET.tostring(element, encoding="unicode").encode()
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body


def respond(fmt: str, root: str, payload: Any, status: int = 200) -> HttpResponse:
    content = json.dumps(payload, ensure_ascii=False).encode() if fmt == "json" else to_xml(root, payload)
    return HttpResponse(content, status=status, content_type=FORMATS[fmt])


def errors(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    """The spec's error list: one entry per problem, each with the HTTP status as its code."""
    payload = [{"code": status, "description": d} for d in descriptions]
    return respond(fmt, "errors", payload, status=status)
