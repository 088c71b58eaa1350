"""The import page and the downloads: for those who keep master data only."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from suban.accounts.models import User
from suban.audit.models import AuditEntry
from suban.org.models import Unit
from tests.masterdata.files import NEW_STREET, csv_bytes, xlsx_bytes, xlsx_rows

pytestmark = pytest.mark.urls("tests.masterdata.urls")

URL = "/masterdata/import/"


def upload(data, name="units.csv"):
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize("who", ["auditor", "alice", "secadmin"])
def test_people_without_the_permission_are_refused(login, cast, who):
    client = login(cast[who])
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"kind": "units", "file": upload(csv_bytes(NEW_STREET))}).status_code == 403
    assert client.get("/masterdata/template/units.xlsx").status_code == 403
    assert client.get("/masterdata/export/staff.xlsx").status_code == 403
    assert not Unit.objects.filter(code="S3").exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_system_admin_sees_the_page_with_the_downloads(login, cast):
    page = login(cast.sysadmin).get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    for kind in ("units", "staff", "grids"):
        assert f"/masterdata/template/{kind}.xlsx" in html
        assert f"/masterdata/export/{kind}.xlsx" in html
    assert 'enctype="multipart/form-data"' in html
    assert "/admin/" in html  # the admin's header and breadcrumbs


def test_the_system_admin_imports_a_file(login, cast, settings):
    client = login(cast.sysadmin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        URL,
        {"kind": "units", "file": upload(xlsx_bytes(NEW_STREET), "units.xlsx")},
        follow=True,
    )
    assert response.redirect_chain == [("/masterdata/import/?kind=units", 302)]
    assert "Units: 4 created, 0 updated, 0 unchanged." in response.content.decode()
    assert Unit.objects.get(code="S3C1G1").parent.code == "S3C1"
    assert AuditEntry.objects.filter(action="unit.create", actor=cast.sysadmin).count() == 4


def test_a_dry_run_from_the_page_shows_the_counts_and_writes_nothing(login, cast):
    client = login(cast.sysadmin)
    response = client.post(URL, {"kind": "units", "file": upload(csv_bytes(NEW_STREET)), "dry_run": "on"})
    assert response.status_code == 200
    assert 'id="import-summary"' in response.content.decode()
    assert not Unit.objects.filter(code="S3").exists()


def test_the_staff_import_from_the_page_creates_accounts(login, cast):
    rows = [
        ["用户名", "姓名", "单位编码", "角色", "手机号", "初始密码"],
        ["wang", "王网格", "S1C1G2", "网格员", "", ""],
    ]
    response = login(cast.sysadmin).post(URL, {"kind": "staff", "file": upload(csv_bytes(rows), "staff.csv")})
    assert response.status_code == 302
    assert User.objects.get(username="wang").has_role("grid_worker")


def test_row_errors_are_shown_in_a_table_and_nothing_is_written(login, cast):
    rows = [*NEW_STREET[:2], ["S3C1", "南一社区", "社区", "NOPE"]]
    response = login(cast.sysadmin).post(URL, {"kind": "units", "file": upload(csv_bytes(rows))})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="import-errors"' in html
    assert "<td>3</td>" in html
    assert "<td>上级编码</td>" in html
    assert "NOPE" in html
    assert not Unit.objects.filter(code="S3").exists()


def test_other_file_types_are_refused_by_the_form(login, cast):
    response = login(cast.sysadmin).post(URL, {"kind": "units", "file": upload(b"x", "units.txt")})
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()


def test_the_template_has_the_chinese_headers_and_an_instructions_sheet(login, cast):
    response = login(cast.sysadmin).get("/masterdata/template/staff.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert xlsx_rows(data)[0] == ["用户名", "姓名", "单位编码", "角色", "手机号", "初始密码"]
    assert xlsx_rows(data, sheet=1)[1][0] == "用户名"


def test_the_export_has_the_current_data_and_is_recorded_in_the_audit_log(login, cast):
    response = login(cast.sysadmin).get("/masterdata/export/staff.xlsx")
    assert response.status_code == 200
    rows = xlsx_rows(response.content)
    by_username = {row[0]: row for row in rows[1:]}
    assert by_username["gary"][2:4] == ["S1C1G1", "网格员"]
    assert "sysadmin" not in by_username  # admin accounts are not staff rows
    assert AuditEntry.objects.filter(action="masterdata.export", actor=cast.sysadmin).exists()
    assert io.BytesIO(response.content).read(2) == b"PK"
