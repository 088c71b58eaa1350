"""Templates and exports: the same layout as the import, so an export can be edited and imported back."""

import io

import pytest
from openpyxl import load_workbook

from suban.masterdata.importers import import_file
from suban.masterdata.templates_xlsx import export_workbook, template_workbook
from suban.org.models import Unit
from suban.org.services import unit_set_contact
from tests.masterdata.files import xlsx_rows


@pytest.mark.parametrize(
    ("kind", "header"),
    [
        ("units", ["编码", "名称", "类型", "上级编码", "专属网格类型", "地址", "电话", "别名"]),
        ("staff", ["用户名", "姓名", "单位编码", "角色", "手机号", "初始密码"]),
        ("grids", ["编码", "名称", "上级编码", "类型", "专属网格类型", "边界"]),
    ],
)
def test_templates_start_with_the_chinese_headers_and_have_no_rows(db, kind, header):
    rows = xlsx_rows(template_workbook(kind))
    assert rows[0][: len(header)] == header
    assert all(value is None for row in rows[1:] for value in row)


def test_the_units_template_offers_the_kinds_in_a_list(db):
    workbook = load_workbook(io.BytesIO(template_workbook("units")))
    formulas = [v.formula1 for v in workbook.worksheets[0].data_validations.dataValidation]
    assert '"区,街道,社区,网格,专属网格,部门"' in formulas


@pytest.mark.parametrize("kind", ["units", "grids", "staff"])
def test_an_export_imported_back_changes_nothing(cast, org, kind):
    unit_set_contact(by=None, unit=org["DEPT1"], kind="leader", name="张局长", phone="13900000001")
    Unit.objects.filter(code="S1").update(phone="0532-88881234转801", aliases="东街,东办")
    cast.gary.set_phone("13900000031")
    cast.gary.save()

    result = import_file(kind, export_workbook(kind), by=None)

    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged > 0


def test_the_units_export_lists_parents_before_children_with_contacts(org):
    unit_set_contact(by=None, unit=org["DEPT1"], kind="leader", name="张局长", phone="13900000001")
    rows = xlsx_rows(export_workbook("units"))
    codes = [row[0] for row in rows[1:]]
    assert codes.index("D") < codes.index("S1") < codes.index("S1C1") < codes.index("S1C1G1")
    dept = next(row for row in rows if row[0] == "DEPT1")
    assert dept[2:4] == ["部门", "D"]
    assert dept[8:10] == ["张局长", "13900000001"]
    school = next(row for row in rows if row[0] == "S1C1X")
    assert school[4] == "学校"
