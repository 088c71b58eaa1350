"""Importing the unit tree: all rows or none, errors by row and column, known codes updated."""

import pytest

from suban.audit.models import AuditEntry
from suban.errors import Conflict, Forbidden
from suban.masterdata import unit_importer
from suban.masterdata.importers import import_file
from suban.org.models import Unit, UnitContact
from tests.masterdata.files import NEW_STREET, UNIT_HEADER, csv_bytes, xlsx_bytes


def units_in(*codes):
    return set(Unit.objects.filter(code__in=codes).values_list("code", flat=True))


@pytest.mark.parametrize("make_file", [csv_bytes, xlsx_bytes], ids=["csv", "xlsx"])
def test_a_good_file_creates_the_tree_with_parents_from_earlier_rows(org, make_file):
    result = import_file("units", make_file(NEW_STREET), by=None)

    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    grid = Unit.objects.get(code="S3C1G1")
    assert grid.path == "/D/S3/S3C1/S3C1G1/"
    assert grid.kind == "grid"
    street = Unit.objects.get(code="S3")
    assert (street.address, street.phone, street.aliases) == ("南路1号", "0532-88881234", "南办,南街")
    assert Unit.objects.get(code="S3C1X").special_kind == "school"


def test_english_headers_and_kind_values_work_too(org):
    rows = [
        ["code", "name", "kind", "parent_code"],
        ["S3", "South street", "street", "D"],
        ["S3C1", "South one", "Community / village", "S3"],
    ]
    result = import_file("units", csv_bytes(rows), by=None)
    assert result.ok, result.errors
    assert Unit.objects.get(code="S3C1").kind == "community"


@pytest.mark.parametrize(
    ("bad_row", "column", "words"),
    [
        (["S3C1G1", "网格", "网格", "NOPE", "", "", "", ""], "上级编码", "NOPE"),
        (["S3C1G1", "网格", "小区", "S3C1", "", "", "", ""], "类型", "小区"),
        (["S3C1G1", "网格", "网格", "S3C1", "", "", "12-ab", ""], "电话", "12-ab"),
        (["S3C1G1", "网格", "网格", "S3", "", "", "", ""], "上级编码", "Basic grid"),
        (["S3C1G1", "网格", "网格", "S3C1", "学校", "", "", ""], "专属网格类型", "special grids"),
        (["S3C1 G1", "网格", "网格", "S3C1", "", "", "", ""], "编码", "letters"),
        (["S3C1G1", "", "网格", "S3C1", "", "", "", ""], "名称", "name"),
    ],
    ids=[
        "unknown parent",
        "unknown kind",
        "bad phone",
        "kind not allowed under parent",
        "special kind",
        "code",
        "name",
    ],
)
def test_one_bad_row_writes_nothing_and_names_its_row_and_column(org, bad_row, column, words):
    rows = [*NEW_STREET[:3], bad_row]
    entries_before = AuditEntry.objects.count()

    result = import_file("units", csv_bytes(rows), by=None)

    assert [(e.row, e.column) for e in result.errors] == [(4, column)]
    assert words in result.errors[0].message
    assert units_in("S3", "S3C1", "S3C1G1") == set()
    assert AuditEntry.objects.count() == entries_before


def test_every_bad_row_is_reported_not_just_the_first(org):
    rows = [
        UNIT_HEADER,
        ["S3", "南街道", "街道", "D", "", "", "bad", ""],
        ["", "无编码", "社区", "S3", "", "", "", ""],
        ["S3C1", "南一社区", "乡镇府", "S3", "", "", "", ""],
    ]
    result = import_file("units", csv_bytes(rows), by=None)
    assert [(e.row, e.column) for e in result.errors] == [(2, "电话"), (3, "编码"), (4, "类型")]


def test_empty_rows_are_skipped_but_still_counted_in_row_numbers(org):
    rows = [NEW_STREET[0], NEW_STREET[1], ["", "", "", "", "", "", "", ""], ["S3C1", "南一社区", "社区", "NOPE"]]
    result = import_file("units", csv_bytes(rows), by=None)
    assert [e.row for e in result.errors] == [4]


def test_a_parent_further_down_the_file_is_named_with_its_row(org):
    rows = [UNIT_HEADER, NEW_STREET[2], NEW_STREET[1]]
    result = import_file("units", csv_bytes(rows), by=None)
    assert [(e.row, e.column) for e in result.errors] == [(2, "上级编码")]
    assert "later row (3)" in result.errors[0].message


def test_a_code_twice_in_one_file_is_an_error(org):
    rows = [*NEW_STREET[:2], NEW_STREET[1]]
    result = import_file("units", csv_bytes(rows), by=None)
    assert [(e.row, e.column) for e in result.errors] == [(3, "编码")]


def test_known_codes_are_updated_not_duplicated(org):
    rows = [
        UNIT_HEADER,
        ["S1", "东城街道", "街道", "D", "", "东路9号", "", "东城"],
        ["S1C1", "", "", "", "", "", "", ""],
        ["S3", "南街道", "街道", "D", "", "", "", ""],
    ]
    result = import_file("units", csv_bytes(rows), by=None)

    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    street = Unit.objects.get(code="S1")
    assert (street.name, street.address, street.aliases) == ("东城街道", "东路9号", "东城")
    assert Unit.objects.filter(code="S1").count() == 1
    assert Unit.objects.get(code="S1C1").name == "东一社区"  # empty cells keep the current values


def test_the_import_neither_moves_units_nor_changes_their_kind(org):
    rows = [UNIT_HEADER, ["S1C1", "东一社区", "社区", "S2"], ["S1C2", "东二社区", "街道", "S1"]]
    result = import_file("units", csv_bytes(rows), by=None)
    assert [(e.row, e.column) for e in result.errors] == [(2, "上级编码"), (3, "类型")]
    assert Unit.objects.get(code="S1C1").parent == org["S1"]


def test_departments_get_their_one_plus_one_plus_one_contacts(org):
    header = [*UNIT_HEADER, "分管领导", "分管领导电话", "责任科室", "责任科室电话", "联系人", "联系人电话"]
    rows = [
        header,
        ["DEPT3", "水务局", "部门", "D", "", "", "", "", "王局长", "13900000001", "供水科", "", "李四", "13900000002"],
        ["DEPT1", "", "", "", "", "", "", "", "张局长", "", "", "", "", ""],
    ]
    result = import_file("units", csv_bytes(rows), by=None)

    assert result.ok, result.errors
    contacts = {c.kind: (c.name, c.phone) for c in UnitContact.objects.filter(unit__code="DEPT3")}
    assert contacts == {
        "leader": ("王局长", "13900000001"),
        "section": ("供水科", ""),
        "person": ("李四", "13900000002"),
    }
    assert UnitContact.objects.get(unit__code="DEPT1", kind="leader").name == "张局长"
    assert (result.created, result.updated) == (1, 1)


def test_only_departments_take_contacts(org):
    rows = [[*UNIT_HEADER, "分管领导"], ["S1", "", "", "", "", "", "", "", "王局长"]]
    result = import_file("units", csv_bytes(rows), by=None)
    assert [(e.row, e.column) for e in result.errors] == [(2, "分管领导")]


def test_a_dry_run_counts_but_writes_nothing(org):
    result = import_file("units", xlsx_bytes(NEW_STREET), by=None, dry_run=True)
    assert result.ok and result.dry_run
    assert result.created == 4
    assert units_in("S3", "S3C1") == set()


def test_a_failure_midway_rolls_back_the_rows_already_written(org, monkeypatch):
    real_create = unit_importer.unit_create

    def create_then_fail(**kwargs):
        if kwargs["code"] == "S3C1G1":
            raise RuntimeError("disk full")
        return real_create(**kwargs)

    monkeypatch.setattr(unit_importer, "unit_create", create_then_fail)
    with pytest.raises(RuntimeError):
        import_file("units", csv_bytes(NEW_STREET), by=None)
    assert units_in("S3", "S3C1", "S3C1G1", "S3C1X") == set()


def test_a_refusal_by_a_service_while_writing_is_a_row_error_and_rolls_back(org, monkeypatch):
    def refuse(**kwargs):
        raise Conflict("Someone else is changing this unit.", field="name")

    monkeypatch.setattr(unit_importer, "unit_update", refuse)
    rows = [*NEW_STREET[:3], ["S1", "东城街道", "街道", "D"]]
    result = import_file("units", csv_bytes(rows), by=None)
    assert [(e.row, e.column, e.message) for e in result.errors] == [(4, "名称", "Someone else is changing this unit.")]
    assert units_in("S3", "S3C1") == set()


def test_someone_without_the_permission_cannot_import(cast):
    with pytest.raises(Forbidden):
        import_file("units", csv_bytes(NEW_STREET), by=cast.auditor)


def test_the_system_admin_imports_and_the_audit_log_names_them(cast):
    result = import_file("units", csv_bytes(NEW_STREET), by=cast.sysadmin)
    assert result.ok, result.errors
    assert AuditEntry.objects.filter(action="unit.create", actor=cast.sysadmin).count() == 4
