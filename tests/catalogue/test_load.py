"""Loading the matter catalogue from the taxonomy: counts, codes, idempotence, the command."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from suban.audit.models import AuditEntry
from suban.catalogue.models import Matter
from suban.catalogue.services import catalogue_load
from suban.catalogue.taxonomy import PACKAGED, read_taxonomy, shared_path
from suban.errors import Forbidden, Invalid


def snapshot() -> list[tuple]:
    return list(Matter.objects.order_by("code").values_list("code", "name", "parent__code", "level", "full_name"))


def test_it_creates_the_three_levels_with_codes_in_the_order_of_the_file(catalogue):
    assert Matter.objects.filter(level=1).count() == 15
    assert Matter.objects.filter(level=2).count() == 118
    assert Matter.objects.filter(level=3).count() == 517
    first = Matter.objects.get(code="01")
    assert (first.name, first.parent, first.sort_order) == ("城乡建设", None, 1)
    accident = Matter.objects.get(code="010101")
    assert accident.full_name == "城乡建设 / 安全生产 / 事故处理"
    assert accident.parent is not None and accident.parent.code == "0101" and accident.parent.parent == first
    assert Matter.objects.get(code="010215").full_name == "城乡建设 / 城市建设和市政管理 / 电力供应"
    assert Matter.objects.get(code="15").name == "劳动和社会保障"
    for matter in Matter.objects.select_related("parent"):
        assert len(matter.code) == 2 * matter.level
        if matter.parent is not None:
            assert matter.code.startswith(matter.parent.code)
            assert matter.full_name == f"{matter.parent.full_name} / {matter.name}"
    # The default ordering follows the file: every parent directly before its children.
    names = list(Matter.objects.values_list("name", flat=True)[:4])
    assert names == ["城乡建设", "安全生产", "事故处理", "安全生产管理"]


def test_a_second_load_changes_nothing(catalogue, rows):
    before = snapshot()
    audits = AuditEntry.objects.filter(action="catalogue.load").count()
    result = catalogue_load(by=None, rows=rows)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 650)
    assert result.by_level == (15, 118, 517)
    assert snapshot() == before
    assert AuditEntry.objects.filter(action="catalogue.load").count() == audits == 1


def test_codes_stay_when_the_file_changes(catalogue, rows):
    codes = dict(Matter.objects.values_list("full_name", "code"))
    # A new second-level node in the middle of 城乡建设, a new first level in front, one row gone.
    changed = [("海洋渔业", "渔船管理", "渔港"), *rows[:3], ("城乡建设", "海绵城市", "雨水管网"), *rows[4:]]
    result = catalogue_load(by=None, rows=changed)
    assert result.created == 5  # 海洋渔业, 渔船管理, 渔港, 海绵城市, 雨水管网
    after = dict(Matter.objects.values_list("full_name", "code"))
    assert {name: after[name] for name in codes} == codes  # the missing row's node is kept, too
    assert after["海洋渔业"] == "16"
    assert after["城乡建设 / 海绵城市"] == "0111"
    assert after["城乡建设 / 海绵城市 / 雨水管网"] == "011101"
    assert Matter.objects.get(code="16").sort_order == 1


def test_the_admin_roles_table_decides_who_loads(cast, rows):
    with pytest.raises(Forbidden):
        catalogue_load(by=cast.auditor, rows=rows[:5])
    result = catalogue_load(by=cast.sysadmin, rows=rows[:5])
    assert result.created == 1 + 2 + 5
    entry = AuditEntry.objects.get(action="catalogue.load")
    assert entry.actor == cast.sysadmin and entry.detail["created"] == 8


def test_bad_rows_are_refused_whole(db):
    with pytest.raises(Invalid):
        catalogue_load(by=None, rows=[("城乡建设", "安全生产", "事故处理"), ("城乡建设", "", "x")])
    assert not Matter.objects.exists()


def load_catalogue(*args: str) -> str:
    out = StringIO()
    call_command("load_catalogue", *args, stdout=out)
    return out.getvalue()


def test_the_command_loads_the_packaged_file_and_reports_counts(db):
    assert "level 1: 15, level 2: 118, level 3: 517; 650 created, 0 updated, 0 unchanged" in load_catalogue()
    assert "0 created, 0 updated, 650 unchanged" in load_catalogue()


def test_the_command_takes_another_file_and_names_a_missing_or_bad_one(db, tmp_path: Path):
    with pytest.raises(CommandError, match=r"找不到分类文件.*missing\.csv"):
        load_catalogue("--csv", str(tmp_path / "missing.csv"))
    bad = tmp_path / "bad.csv"
    bad.write_text("一级分类,二级分类,三级分类\n城乡建设,安全生产,事故处理\n城乡建设,安全生产\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第 3 行"):
        load_catalogue("--csv", str(bad))
    good = tmp_path / "good.csv"
    good.write_text("\ufeff城乡建设,安全生产,事故处理\n\n 民政 , 优抚 , 其他 \n", encoding="utf-8")
    assert "level 1: 2, level 2: 2, level 3: 2; 6 created" in load_catalogue("--csv", str(good))
    assert Matter.objects.get(code="0201").full_name == "民政 / 优抚"


def test_the_packaged_copy_is_the_shared_taxonomy():
    rows = read_taxonomy(PACKAGED)
    assert len(rows) == 517 and len({r[0] for r in rows}) == 15
    if not shared_path().is_file():
        pytest.skip("../shared is not beside the repository")
    assert PACKAGED.read_bytes() == shared_path().read_bytes()
