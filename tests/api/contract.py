"""The published OpenAPI document as a check on real answers: conforms(method, path, response) fails when a
body does not match the schema the document gives for that operation and status."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import jsonschema_rs

from suban.api.api import api


@cache
def _document() -> dict[str, Any]:
    return json.loads(json.dumps(api.get_openapi_schema()))


@cache
def _templates() -> list[tuple[re.Pattern[str], str]]:
    found = []
    for template in _document()["paths"]:
        pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
        found.append((re.compile(f"^{pattern}$"), template))
    # "/api/cases/batch" before "/api/cases/{number}".
    return sorted(found, key=lambda item: item[1].count("{"))


@cache
def _validator(template: str, method: str, status: str) -> Any:
    responses = _document()["paths"][template][method]["responses"]
    content = responses.get(status, {}).get("content", {}).get("application/json")
    if content is None:
        return None
    return jsonschema_rs.validator_for({**content["schema"], "components": _document()["components"]})


def conforms(method: str, path: str, response: Any) -> None:
    """Fails when `response` (a Django test response to `method path`) breaks the published schema. Addresses,
    methods and statuses the document does not describe are left to the fuzz test's status check."""
    path = path.split("?", 1)[0]
    template = next((t for pattern, t in _templates() if pattern.match(path)), None)
    if template is None or method.lower() not in _document()["paths"][template]:
        return
    validator = _validator(template, method.lower(), str(response.status_code))
    if validator is None or not response.content:
        return
    errors = [e.message[:300] for e in validator.iter_errors(json.loads(response.content))]
    assert not errors, f"{method} {path} answered {response.status_code} against its schema: {errors[:3]}"
