"""Importing staff: accounts with roles, an initial password when given, known user names updated."""

import pytest
from django.utils import translation

from suban.accounts.models import User
from suban.masterdata.importers import import_file
from tests.masterdata.files import csv_bytes, xlsx_bytes

STAFF_HEADER = ["用户名", "姓名", "单位编码", "角色", "手机号", "初始密码"]


def roles_of(username):
    return sorted(User.objects.get(username=username).staff_roles.values_list("role", flat=True))


@pytest.mark.parametrize("make_file", [csv_bytes, xlsx_bytes], ids=["csv", "xlsx"])
def test_staff_are_created_with_their_roles_and_a_usable_password_when_given(org, make_file):
    rows = [
        STAFF_HEADER,
        ["wang", "王网格", "S1C1G2", "网格员、专业网格员", "13900000011", "Grid@2026x"],
        ["li", "李处置", "S1C1", "社区处置人员", 13900000012, ""],
        ["zhao", "赵派单", "D", "dispatcher, Supervisor", "", ""],
    ]
    result = import_file("staff", make_file(rows), by=None)

    assert result.ok, result.errors
    assert result.created == 3
    wang = User.objects.get(username="wang")
    assert (wang.name, wang.unit, wang.phone) == ("王网格", org["S1C1G2"], "13900000011")
    assert roles_of("wang") == ["grid_worker", "specialist"]
    assert wang.check_password("Grid@2026x")
    li = User.objects.get(username="li")
    assert li.phone == "13900000012"
    assert not li.has_usable_password()
    assert roles_of("zhao") == ["dispatcher", "supervisor"]


@pytest.mark.parametrize(
    ("bad_row", "column"),
    [
        (["wang", "王网格", "S1", "网格员", "", ""], "角色"),
        (["wang", "王网格", "S1C1G2", "组长", "", ""], "角色"),
        (["wang", "王网格", "NOPE", "网格员", "", ""], "单位编码"),
        (["wang", "王网格", "S1C1G2", "网格员", "1390000", ""], "手机号"),
        (["wang", "王网格", "S1C1G2", "网格员", "", "short"], "初始密码"),
        (["", "王网格", "S1C1G2", "网格员", "", ""], "用户名"),
    ],
    ids=["role that does not fit the unit", "unknown role", "unknown unit", "bad phone", "weak password", "no name"],
)
def test_one_bad_row_writes_no_account_and_names_its_row_and_column(org, bad_row, column):
    rows = [STAFF_HEADER, ["li", "李处置", "S1C1", "社区处置人员", "", ""], bad_row]
    result = import_file("staff", csv_bytes(rows), by=None)
    assert [(e.row, e.column) for e in result.errors] == [(3, column)]
    assert not User.objects.filter(username__in=["li", "wang"]).exists()


def test_a_phone_number_already_taken_is_an_error(cast):
    rows = [
        STAFF_HEADER,
        ["wang", "王网格", "S1C1G2", "网格员", "13800000001", ""],
        ["li", "李处置", "S1C1", "社区处置人员", "13900000012", ""],
        ["zhou", "周处置", "S1C1", "社区处置人员", "139 0000 0012", ""],
    ]
    result = import_file("staff", csv_bytes(rows), by=None)
    assert [(e.row, e.column) for e in result.errors] == [(2, "手机号"), (4, "手机号")]


def test_known_user_names_get_their_name_unit_and_roles_updated(cast, org):
    rows = [
        STAFF_HEADER,
        ["gary", "Gary Wang", "S1C1G2", "网格员、专业网格员", "13900000021", "Ignored@2026"],
        ["carol", "", "", "", "", ""],
        ["bob", "", "S1", "", "", ""],
    ]
    result = import_file("staff", csv_bytes(rows), by=None)

    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    gary = User.objects.get(username="gary")
    assert (gary.name, gary.unit, gary.phone) == ("Gary Wang", org["S1C1G2"], "13900000021")
    assert roles_of("gary") == ["grid_worker", "specialist"]
    assert not gary.check_password("Ignored@2026")  # passwords are for new accounts only
    assert User.objects.get(username="bob").unit == org["S1"]
    assert roles_of("bob") == ["street_handler"]
    assert User.objects.filter(username="gary").count() == 1


def test_moving_someone_to_a_unit_their_roles_do_not_fit_is_an_error(cast):
    rows = [STAFF_HEADER, ["carol", "", "S1", "", "", ""]]
    result = import_file("staff", csv_bytes(rows), by=None)
    assert [(e.row, e.column) for e in result.errors] == [(2, "角色")]
    assert User.objects.get(username="carol").unit.code == "S1C1"


def test_admin_accounts_take_no_work_roles_and_citizens_are_not_staff(cast):
    citizen = cast.cindy.username
    rows = [STAFF_HEADER, ["sysadmin", "", "", "派单员", "", ""], [citizen, "Cindy", "S1", "", "", ""]]
    result = import_file("staff", csv_bytes(rows), by=None)
    assert [(e.row, e.column) for e in result.errors] == [(2, "角色"), (3, "用户名")]


def test_a_short_password_is_explained_in_the_users_language(org):
    rows = [STAFF_HEADER, ["wang", "王网格", "S1C1G2", "网格员", "", "short"]]
    with translation.override("zh-hans"):
        result = import_file("staff", csv_bytes(rows), by=None)
    [error] = result.errors
    assert "too short" not in error.message
    assert "密码长度太短" in error.message  # Django's own translation
    assert "8" in error.message
