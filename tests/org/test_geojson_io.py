from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils.translation import override

from suban.errors import Forbidden
from suban.org.geojson_io import grids_export, grids_import, units_for_export
from suban.org.models import Unit
from tests.conftest import Cast, square


def feature(code: str, name: str, parent: str, geometry: dict[str, Any] | None, **props: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {"code": code, "name": name, "parent_code": parent, **props},
    }


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def test_export_gives_each_grid_with_its_parent(org: dict[str, Unit]) -> None:
    data = grids_export(units_for_export(under="S1C1"))
    assert data["type"] == "FeatureCollection"
    props = {f["properties"]["code"]: f["properties"] for f in data["features"]}
    assert set(props) == {"S1C1G1", "S1C1G2", "S1C1X"}
    assert props["S1C1X"] == {
        "code": "S1C1X",
        "name": "东一小学",
        "kind": "special_grid",
        "special_kind": "school",
        "parent_code": "S1C1",
        "parent_name": "东一社区",
    }
    assert data["features"][0]["geometry"]["type"] == "Polygon"


def test_an_exported_file_imports_back_unchanged_and_edits_come_through(org: dict[str, Unit]) -> None:
    data = json.loads(json.dumps(grids_export(units_for_export()), ensure_ascii=False))
    result = grids_import(by=None, data=json.dumps(data))
    assert result.ok
    assert (result.created, result.updated) == ([], [])
    assert len(result.unchanged) == 5

    data["features"][0]["properties"]["name"] = "改名网格"
    data["features"][1]["geometry"] = square(121.0, 37.0)
    data["features"].append(feature("S1C2G9", "新网格", "S1C2", square(120.03, 36.0)))
    result = grids_import(by=None, data=json.dumps(data, ensure_ascii=False).encode())
    assert result.ok, result.errors
    assert result.created == ["S1C2G9"]
    assert len(result.updated) == 2
    first, second = (Unit.objects.get(code=f["properties"]["code"]) for f in data["features"][:2])
    assert first.name == "改名网格"
    assert second.boundary == square(121.0, 37.0)
    assert Unit.objects.get(code="S1C2G9").path == "/D/S1/S1C2/S1C2G9/"


def test_a_parent_may_come_earlier_in_the_same_file(org: dict[str, Unit]) -> None:
    data = collection(
        feature("S2C9", "西九社区", "S2", None, kind="community"),
        feature("S2C9G1", "西九社区第一网格", "S2C9", square(119.9, 36.0)),
    )
    result = grids_import(by=None, data=data)
    assert result.ok, result.errors
    assert Unit.objects.get(code="S2C9G1").path == "/D/S2/S2C9/S2C9G1/"


def test_an_import_with_one_bad_feature_writes_nothing_and_names_that_feature(org: dict[str, Unit]) -> None:
    count = Unit.objects.count()
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    data = collection(
        feature("S1C1G5", "好网格", "S1C1", square(120.04, 36.0)),
        feature("S1C1G6", "坏网格", "S1C1", bowtie),
        feature("S1C1G7", "孤儿网格", "NOPE", square(120.05, 36.0)),
    )
    with override("en"):
        result = grids_import(by=None, data=data)
    assert not result.ok
    assert [(e.index, e.code) for e in result.errors] == [(1, "S1C1G6"), (2, "S1C1G7")]
    assert "valid polygon" in result.errors[0].message
    assert "NOPE" in result.errors[1].message
    assert Unit.objects.count() == count


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "not valid JSON"),
        ('{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
        ({"type": "FeatureCollection", "features": []}, "no features"),
    ],
)
def test_a_file_that_is_not_a_feature_collection_is_refused_clearly(
    org: dict[str, Unit], data: Any, message: str
) -> None:
    with override("en"):
        result = grids_import(by=None, data=data)
    assert [(e.index, message in e.message) for e in result.errors] == [(None, True)]


def test_import_does_not_change_kinds_or_move_units(org: dict[str, Unit]) -> None:
    data = collection(
        feature("S1C1G1", "东一社区第一网格", "S1C1", None, kind="community"),
        feature("S1C1G2", "东一社区第二网格", "S1C2", None),
    )
    result = grids_import(by=None, data=data)
    assert [e.index for e in result.errors] == [0, 1]


def test_importing_needs_the_permission_to_change_units(cast: Cast) -> None:
    with pytest.raises(Forbidden):
        grids_import(by=cast.secadmin, data=collection(feature("X1", "x", "S1C1", None)))


def test_the_commands_export_a_subtree_and_import_it_back(org: dict[str, Unit], tmp_path: Any) -> None:
    out = tmp_path / "grids.geojson"
    call_command("export_geojson", "--under", "S1", "--out", str(out), stdout=io.StringIO())
    assert len(json.loads(out.read_text(encoding="utf-8"))["features"]) == 4
    stdout = io.StringIO()
    call_command("import_geojson", str(out), stdout=stdout)
    assert "4" in stdout.getvalue()


def test_the_import_command_fails_with_the_problems_listed(org: dict[str, Unit], tmp_path: Any) -> None:
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps(collection(feature("G9", "x", "NOPE", None))), encoding="utf-8")
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_geojson", str(bad), stdout=io.StringIO(), stderr=stderr)
    assert "G9" in stderr.getvalue()
    assert not Unit.objects.filter(code="G9").exists()
