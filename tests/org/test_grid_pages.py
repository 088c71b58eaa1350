from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from suban.org.models import Unit
from tests.conftest import Cast, square

pytestmark = pytest.mark.urls("tests.org.urls")


def upload(data: Any, name: str = "grids.geojson") -> SimpleUploadedFile:
    raw = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode()
    return SimpleUploadedFile(name, raw, content_type="application/geo+json")


def test_the_grids_download_is_geojson_for_those_who_may_view_units(cast: Cast, login: Any) -> None:
    response = login(cast.secadmin).get("/org/grids.geojson?under=S2")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert [f["properties"]["code"] for f in response.json()["features"]] == ["S2C1G1"]
    assert login(cast.secadmin).get("/org/grids.geojson?under=NOPE").status_code == 404


def test_the_grids_download_is_closed_to_others(cast: Cast, login: Any, client: Any) -> None:
    assert client.get("/org/grids.geojson").status_code == 302
    assert login(cast.dora).get("/org/grids.geojson").status_code == 403


def test_the_import_page_shows_each_bad_feature_and_writes_nothing(cast: Cast, login: Any) -> None:
    client = login(cast.sysadmin)
    assert client.get("/org/grids/import/").status_code == 200
    data = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": square(120.05, 36.0), "properties": {"code": "G9", "parent_code": "S1C1"}},
        ],
    }
    response = client.post("/org/grids/import/", {"file": upload(data)})
    assert response.status_code == 400
    assert b"import-errors" in response.content
    assert "G9" in response.content.decode()
    assert not Unit.objects.filter(code="G9").exists()


def test_the_import_page_imports_a_good_file_and_sums_it_up(cast: Cast, login: Any) -> None:
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": square(120.05, 36.0),
                "properties": {"code": "G9", "name": "新网格", "parent_code": "S1C1"},
            },
        ],
    }
    response = login(cast.sysadmin).post("/org/grids/import/", {"file": upload(data)})
    assert response.status_code == 200
    assert Unit.objects.get(code="G9").parent_id == Unit.objects.get(code="S1C1").pk


def test_the_import_page_needs_the_permission_to_change_units(cast: Cast, login: Any) -> None:
    assert login(cast.secadmin).get("/org/grids/import/").status_code == 403
