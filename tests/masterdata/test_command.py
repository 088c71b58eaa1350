"""python manage.py import_masterdata {units,staff,grids} FILE [--dry-run]"""

import io

import pytest
from django.core.management import CommandError, call_command

from suban.org.models import Unit
from tests.masterdata.files import NEW_STREET, csv_bytes, xlsx_bytes


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_masterdata", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_a_file_and_prints_the_counts(org, tmp_path):
    path = tmp_path / "units.xlsx"
    path.write_bytes(xlsx_bytes(NEW_STREET))
    out, _err = run("units", str(path))
    assert "4 created, 0 updated, 0 unchanged" in out
    assert Unit.objects.filter(code="S3C1X").exists()


def test_a_dry_run_from_the_command_writes_nothing(org, tmp_path):
    path = tmp_path / "units.csv"
    path.write_bytes(csv_bytes(NEW_STREET))
    out, _err = run("units", str(path), "--dry-run")
    assert "Dry run" in out
    assert not Unit.objects.filter(code="S3").exists()


def test_the_command_prints_the_row_errors_and_exits_with_1(org, tmp_path):
    path = tmp_path / "units.csv"
    path.write_bytes(csv_bytes([*NEW_STREET[:2], ["S3C1", "南一社区", "社区", "NOPE"]]))
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_masterdata", "units", str(path), stderr=err)
    assert caught.value.returncode == 1
    assert "row 3, 上级编码: No unit has the code NOPE." in err.getvalue()
    assert not Unit.objects.filter(code="S3").exists()


def test_a_missing_file_is_a_command_error(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run("staff", str(tmp_path / "nope.csv"))
