"""Importing grids with their GeoJSON boundaries."""

import json

from suban.masterdata.importers import import_file
from suban.org.models import Unit
from tests.conftest import square
from tests.masterdata.files import csv_bytes, xlsx_bytes

GRID_HEADER = ["编码", "名称", "上级编码", "类型", "专属网格类型", "边界"]


def test_grids_come_with_their_boundaries_and_special_grids_by_their_kind(org):
    rows = [
        GRID_HEADER,
        ["S1C2G2", "东二社区第二网格", "S1C2", "", "", json.dumps(square(120.03, 36.00))],
        ["S1X2", "东街道商圈", "S1", "", "商圈", json.dumps({"type": "Feature", "geometry": square(120.04, 36.0)})],
    ]
    result = import_file("grids", xlsx_bytes(rows), by=None)

    assert result.ok, result.errors
    grid = Unit.objects.get(code="S1C2G2")
    assert grid.kind == "grid"
    assert grid.boundary["type"] == "Polygon"
    assert grid.boundary_updated_at is not None
    special = Unit.objects.get(code="S1X2")
    assert (special.kind, special.special_kind) == ("special_grid", "market")
    assert special.boundary == square(120.04, 36.0)


def test_a_known_grid_gets_its_new_boundary(org):
    rows = [GRID_HEADER, ["S1C1G1", "", "", "", "", json.dumps(square(120.1, 36.1))]]
    result = import_file("grids", csv_bytes(rows), by=None)
    assert (result.updated, result.errors) == (1, [])
    org["S1C1G1"].refresh_from_db()
    assert org["S1C1G1"].boundary == square(120.1, 36.1)


def test_the_same_boundary_again_changes_nothing(org):
    rows = [GRID_HEADER, ["S1C1G1", "东一社区第一网格", "S1C1", "网格", "", json.dumps(square(120.00, 36.00))]]
    result = import_file("grids", csv_bytes(rows), by=None)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)


def test_a_broken_boundary_is_named_by_row_and_column(org):
    bowtie = {"type": "Polygon", "coordinates": [[[120, 36], [120.01, 36.01], [120.01, 36], [120, 36.01], [120, 36]]]}
    rows = [
        GRID_HEADER,
        ["S1C2G2", "好网格", "S1C2", "", "", json.dumps(square(120.03, 36.00))],
        ["S1C2G3", "坏网格", "S1C2", "", "", json.dumps(bowtie)],
        ["S1C2G4", "不是JSON", "S1C2", "", "", "{type: Polygon"],
        ["S1C2G5", "一个点", "S1C2", "", "", json.dumps({"type": "Point", "coordinates": [120, 36]})],
    ]
    result = import_file("grids", csv_bytes(rows), by=None)
    assert [(e.row, e.column) for e in result.errors] == [(3, "边界"), (4, "边界"), (5, "边界")]
    assert not Unit.objects.filter(code="S1C2G2").exists()


def test_the_grids_file_takes_grids_only(org):
    rows = [GRID_HEADER, ["S1C3", "东三社区", "S1", "社区", "", ""]]
    result = import_file("grids", csv_bytes(rows), by=None)
    assert [(e.row, e.column) for e in result.errors] == [(2, "类型")]


def test_a_boundary_that_is_not_json_is_told_where_without_pythons_words(org):
    rows = [GRID_HEADER, ["S1C2G4", "不是JSON", "S1C2", "", "", '{"type": "Polygon",\n  coordinates: []}']]
    result = import_file("grids", csv_bytes(rows), by=None)
    assert [e.message for e in result.errors] == ["The boundary is not GeoJSON text (line 2, column 3)."]
