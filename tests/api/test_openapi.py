"""The API describes itself: the OpenAPI document, the docs page, and the lifecycle table."""

from __future__ import annotations

import json
import re
from collections import defaultdict

import pytest
import schemathesis
from django.test import Client
from ninja.openapi.schema import OpenAPISchema

from suban.api.api import api
from suban.api.table import ENDPOINTS
from suban.cases.lifecycle import ACTIONS, NOT_EXPOSED, TABLE


@pytest.fixture(scope="module")
def openapi() -> dict:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_openapi_document_loads_and_lists_every_action_endpoint(openapi):
    paths = openapi["paths"]
    for slug in ENDPOINTS:
        assert "post" in paths[f"/api/cases/{{number}}/actions/{slug}"], slug
    assert {"/api/cases", "/api/cases/{number}", "/api/cases/{number}/events", "/api/lifecycle"} <= set(paths)


def test_the_action_endpoints_cover_exactly_the_tables_actions():
    covered = [name for names in ENDPOINTS.values() for name in names]
    assert len(covered) == len(set(covered)), "two endpoints perform the same table action"
    assert set(covered) == set(ACTIONS) - NOT_EXPOSED
    assert {"absorb", "warn", "overdue", "mediated"} == NOT_EXPOSED  # mediated: the mediation service writes it


def test_each_action_has_its_own_typed_body(openapi):
    def body_of(slug: str) -> set[str]:
        operation = openapi["paths"][f"/api/cases/{{number}}/actions/{slug}"]["post"]
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        return set(openapi["components"]["schemas"][ref]["properties"])

    assert body_of("dispatch") == {"unit", "co_units", "note", "complained_unit", "version"}
    assert body_of("decline") == {"reason", "note", "version"}
    assert body_of("rate") == {"satisfaction", "resolved", "comment", "version"}
    assert body_of("extension") == {"days", "reason", "version"}


def test_errors_are_documented_in_one_shape(openapi):
    claim = openapi["paths"]["/api/cases/{number}/actions/claim"]["post"]["responses"]
    assert {"200", "400", "401", "403", "404", "409", "429"} <= set(claim)
    assert claim["409"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")


def test_the_docs_page_is_served(db):
    response = Client().get("/api/docs")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def test_the_lifecycle_endpoint_returns_the_table(api, cast):
    body = api(cast.carol).get("/lifecycle").json()
    assert [t["action"] for t in body["transitions"]] == [t.action for t in TABLE]
    dispatch = next(t for t in body["transitions"] if t["action"] == "dispatch")
    assert dispatch == {
        "action": "dispatch",
        "sources": ["accepted", "returned"],
        "targets": ["dispatched"],
        "actors": ["dispatcher", "system"],
        "endpoint": "/api/cases/{number}/actions/dispatch",
    }
    absorb = next(t for t in body["transitions"] if t["action"] == "absorb")
    assert absorb["endpoint"] is None
    assert body["endpoints"]["review"] == ["approve_reply", "send_back"]


def test_no_two_schemas_share_a_name(monkeypatch):
    """ninja files every model under its class name and lets a later one of the same name replace the earlier:
    two classes called UnitRef published one of them for both."""
    published: dict[str, list[dict]] = defaultdict(list)
    add = OpenAPISchema.add_schema_definitions

    def recording(self, definitions):
        for name, definition in definitions.items():
            published[name].append(definition)
        add(self, definitions)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", recording)
    api.get_openapi_schema()
    clashes = sorted(name for name, versions in published.items() if any(v != versions[0] for v in versions))
    assert clashes == []


def test_the_document_is_valid_openapi_3_and_every_reference_resolves(openapi):
    assert openapi["openapi"].startswith("3.")
    schemathesis.openapi.from_dict(openapi).validate()
    refs = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(openapi)))
    assert refs <= set(openapi["components"]["schemas"])


def test_every_operation_documents_the_errors_any_request_can_meet(openapi):
    undocumented = [
        f"{method.upper()} {path}"
        for path, operations in openapi["paths"].items()
        for method, operation in operations.items()
        if not {"400", "401", "429"} <= set(operation["responses"])
    ]
    assert undocumented == []
