"""The columns of each import file: one field name, the Chinese header the templates use, other accepted headers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    UNITS = "units", _("Units")
    STAFF = "staff", _("Staff")
    GRIDS = "grids", _("Grids")


# The permission each kind asks of the person importing (the services check their own on top).
KIND_PERMISSIONS: dict[str, str] = {
    ImportKind.UNITS: "org.add_unit",
    ImportKind.GRIDS: "org.add_unit",
    ImportKind.STAFF: "accounts.add_user",
}


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # the Chinese header written in templates and exports
    aliases: tuple[str, ...] = ()  # further accepted headers; the field name itself is always accepted
    required: bool = False  # the header must be in the file (a cell may still be empty where allowed)
    text: bool = False  # keep as text in templates, so Excel leaves leading zeros and long digits alone
    width: int = 14
    help: Any = ""  # a lazy translation, shown on the instructions sheet of the template

    def accepted(self) -> tuple[str, ...]:
        return (self.header, self.field, *self.aliases)


CONTACT_KINDS = ("leader", "section", "person")

UNIT_COLUMNS: tuple[Column, ...] = (
    Column(
        "code",
        "编码",
        ("单位编码", "代码"),
        required=True,
        text=True,
        help=_("Unique code: 1 to 32 letters, digits, hyphens or underscores. A known code updates that unit."),
    ),
    Column(
        "name",
        "名称",
        ("单位名称",),
        required=True,
        width=24,
        help=_("Needed for a new unit; empty keeps the current name."),
    ),
    Column(
        "kind",
        "类型",
        ("单位类型", "层级", "type"),
        required=True,
        help=_("区, 街道 (镇), 社区 (村), 网格, 专属网格 or 部门. An existing unit keeps its kind."),
    ),
    Column(
        "parent_code",
        "上级编码",
        ("上级单位编码", "父级编码", "parent"),
        required=True,
        text=True,
        help=_("Code of the unit above, in the system already or on an earlier row. Empty only for the district."),
    ),
    Column(
        "special_kind",
        "专属网格类型",
        ("special_grid_kind",),
        help=_("Special grids only: 商务楼宇, 学校, 机关单位, 企业, 公用事业单位, 市场, 景区 or 其他."),
    ),
    Column("address", "地址", ("办公地址",), width=30, help=_("Office address.")),
    Column(
        "phone",
        "电话",
        ("办公电话", "联系电话"),
        text=True,
        help=_("Office phone; several separated by 、, an extension after 转."),
    ),
    Column(
        "aliases",
        "别名",
        ("其他名称", "other_names"),
        width=24,
        help=_("Other names used in addresses, separated by 、 or commas."),
    ),
    Column("leader", "分管领导", ("leader_name",), help=_("Departments only: the leader in charge (1+1+1).")),
    Column("leader_phone", "分管领导电话", (), text=True, help=_("Departments only: the leader's phone.")),
    Column("section", "责任科室", ("section_name",), help=_("Departments only: the responsible section (1+1+1).")),
    Column("section_phone", "责任科室电话", (), text=True, help=_("Departments only: the section's phone.")),
    Column("person", "联系人", ("联络人", "person_name"), help=_("Departments only: the contact person (1+1+1).")),
    Column(
        "person_phone",
        "联系人电话",
        ("联络人电话",),
        text=True,
        help=_("Departments only: the contact person's phone."),
    ),
)

STAFF_COLUMNS: tuple[Column, ...] = (
    Column(
        "username",
        "用户名",
        ("账号", "登录名"),
        required=True,
        text=True,
        help=_("Log-in name. A user name already in the system updates that account."),
    ),
    Column("name", "姓名", (), required=True, help=_("Needed for a new account; empty keeps the current name.")),
    Column(
        "unit_code",
        "单位编码",
        ("所属单位编码", "unit"),
        required=True,
        text=True,
        help=_("Code of the unit the person works in. Needed for a new account."),
    ),
    Column(
        "roles",
        "角色",
        (),
        required=True,
        width=24,
        help=_(
            "Separated by 、: 网格员, 专业网格员, 社区处置人员, 街道处置人员, 部门处置人员, 派单员, 督办员, 领导. "
            "Empty keeps the current roles."
        ),
    ),
    Column(
        "phone",
        "手机号",
        ("手机", "手机号码", "mobile"),
        text=True,
        help=_("Must not belong to another account; empty keeps the current number."),
    ),
    Column(
        "password",
        "初始密码",
        ("密码", "initial_password"),
        text=True,
        help=_("New accounts only. Empty: the account cannot log in with a password until one is set."),
    ),
)

GRID_COLUMNS: tuple[Column, ...] = (
    Column(
        "code",
        "编码",
        ("网格编码", "代码"),
        required=True,
        text=True,
        help=_("Unique code: 1 to 32 letters, digits, hyphens or underscores. A known code updates that grid."),
    ),
    Column(
        "name",
        "名称",
        ("网格名称",),
        required=True,
        width=24,
        help=_("Needed for a new grid; empty keeps the current name."),
    ),
    Column(
        "parent_code",
        "上级编码",
        ("上级单位编码", "父级编码", "parent"),
        required=True,
        text=True,
        help=_("Code of the community, or for a special grid the community or street, it belongs to."),
    ),
    Column(
        "kind",
        "类型",
        ("网格类型", "type"),
        help=_("网格 or 专属网格; empty means 网格, or 专属网格 when a special grid kind is given."),
    ),
    Column(
        "special_kind",
        "专属网格类型",
        ("special_grid_kind",),
        help=_("Special grids only: 商务楼宇, 学校, 机关单位, 企业, 公用事业单位, 市场, 景区 or 其他."),
    ),
    Column(
        "boundary",
        "边界",
        ("边界geojson", "geojson", "geometry"),
        width=60,
        help=_("GeoJSON Polygon or MultiPolygon, WGS84 longitude/latitude; empty keeps the current boundary."),
    ),
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    ImportKind.UNITS: UNIT_COLUMNS,
    ImportKind.STAFF: STAFF_COLUMNS,
    ImportKind.GRIDS: GRID_COLUMNS,
}

# Headers a person may add for their own notes; their cells are not read.
IGNORED_HEADERS = ("备注", "说明", "remark", "remarks", "note", "notes", "序号", "no")

_DECORATION = re.compile(r"[\s_\-*＊]+|[(（][^)）]*[)）]")


def normalize_header(text: str) -> str:
    """'上级编码（可空）*' and 'Parent code' compare as '上级编码' and 'parentcode'."""
    return _DECORATION.sub("", text).lower()


def header_lookup(columns: tuple[Column, ...]) -> dict[str, Column]:
    return {normalize_header(name): column for column in columns for name in column.accepted()}
