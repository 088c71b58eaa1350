"""The catalogue, deadline policies and cases in the admin: who edits what, and cases only read."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from suban.audit.models import AuditEntry
from suban.cases.models import Case, DeadlinePolicy
from suban.cases.services import case_accept, case_dispatch, case_submit
from suban.catalogue.models import CaseType, Level, Matter, Responsibility, StartLevel
from tests.conftest import Cast

NO_INLINE = {
    "responsibility-TOTAL_FORMS": "0",
    "responsibility-INITIAL_FORMS": "0",
    "responsibility-MIN_NUM_FORMS": "0",
    "responsibility-MAX_NUM_FORMS": "1",
}


def matter_form(matter: Matter, **changes: Any) -> dict[str, Any]:
    data = {
        "name": matter.name,
        "parent": matter.parent_id or "",
        "keywords": matter.keywords,
        "is_active": "on" if matter.is_active else "",
        "sort_order": matter.sort_order,
        **NO_INLINE,
    }
    return {**data, **changes}


def test_the_system_admin_edits_a_deadline_policy(login, cast):
    client = login(cast.sysadmin)
    policy = DeadlinePolicy.objects.order_by("pk").first()
    assert policy is not None
    assert client.get("/admin/cases/deadlinepolicy/").status_code == 200
    response = client.post(
        f"/admin/cases/deadlinepolicy/{policy.pk}/change/",
        {
            "case_type": policy.case_type,
            "nature": policy.nature,
            "level": policy.level,
            "urgency": policy.urgency,
            "working_days": "7.5",
            "response_hours": "2",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    policy.refresh_from_db()
    assert (policy.working_days, policy.response_hours) == (Decimal("7.5"), Decimal("2"))
    assert AuditEntry.objects.filter(action="admin.change", target_id=str(policy.pk)).exists()


def test_the_catch_all_policy_stays(login, cast):
    client = login(cast.sysadmin)
    catch_all = DeadlinePolicy.objects.get(case_type="", nature="", level="", urgency="")
    assert client.post(f"/admin/cases/deadlinepolicy/{catch_all.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.post(
        f"/admin/cases/deadlinepolicy/{catch_all.pk}/change/",
        {"case_type": "", "nature": "", "level": "grid", "urgency": "", "working_days": "5", "response_hours": "4"},
    )
    assert response.status_code == 200
    assert DeadlinePolicy.objects.get(pk=catch_all.pk).level == ""
    other = DeadlinePolicy.objects.get(case_type="", nature="", level="grid", urgency="")
    assert client.post(f"/admin/cases/deadlinepolicy/{other.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not DeadlinePolicy.objects.filter(pk=other.pk).exists()
    assert AuditEntry.objects.filter(action="admin.delete", target_id=str(other.pk)).exists()


def test_the_auditor_reads_deadline_policies_but_cannot_change_them(login, cast):
    client = login(cast.auditor)
    policy = DeadlinePolicy.objects.order_by("pk").first()
    assert policy is not None
    assert client.get("/admin/cases/deadlinepolicy/").status_code == 200
    assert client.post(f"/admin/cases/deadlinepolicy/{policy.pk}/change/", {"working_days": "1"}).status_code == 403


def test_the_system_admin_renames_a_matter_and_its_subtree_follows(login, cast, catalogue):
    client = login(cast.sysadmin)
    matter = catalogue["城乡建设 / 安全生产"]
    response = client.post(f"/admin/catalogue/matter/{matter.pk}/change/", matter_form(matter, name="安全生产监管"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Matter.objects.get(code="010101").full_name == "城乡建设 / 安全生产监管 / 事故处理"
    assert Matter.objects.get(pk=matter.pk).code == "0101"
    assert AuditEntry.objects.filter(action="admin.change", target_id=str(matter.pk)).exists()


def test_the_system_admin_adds_a_matter_with_its_responsibility(login, cast, catalogue, org):
    client = login(cast.sysadmin)
    parent = catalogue["城乡建设 / 城市建设和市政管理"]
    data = {
        "code": "010217",
        "name": "共享单车",
        "parent": parent.pk,
        "keywords": "单车,乱停",
        "is_active": "on",
        "sort_order": "0",
        **NO_INLINE,
        "responsibility-TOTAL_FORMS": "1",
        "responsibility-0-start_level": Level.DEPARTMENT,
        "responsibility-0-department": org["DEPT1"].pk,
        "responsibility-0-note": "",
    }
    response = client.post("/admin/catalogue/matter/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    added = Matter.objects.get(code="010217")
    assert (added.level, added.full_name) == (3, "城乡建设 / 城市建设和市政管理 / 共享单车")
    assert Responsibility.objects.get(matter=added).department == org["DEPT1"]
    assert AuditEntry.objects.filter(action="admin.add", target_id=str(added.pk)).exists()


def test_the_admin_refuses_a_department_level_without_a_department(login, cast, catalogue):
    client = login(cast.sysadmin)
    matter = catalogue["环境保护"]
    response = client.post(
        "/admin/catalogue/responsibility/add/", {"matter": matter.pk, "start_level": Level.DEPARTMENT}
    )
    assert response.status_code == 200
    assert not Responsibility.objects.exists()


def test_the_system_admin_sets_start_levels_but_not_the_district(login, cast):
    client = login(cast.sysadmin)
    row = StartLevel.objects.get(case_type=CaseType.LIVELIHOOD)
    url = f"/admin/catalogue/startlevel/{row.pk}/change/"
    assert client.post(url, {"case_type": row.case_type, "level": Level.DISTRICT}).status_code == 200
    assert StartLevel.objects.get(pk=row.pk).level == Level.COMMUNITY
    assert client.post(url, {"case_type": row.case_type, "level": Level.GRID}).status_code == 302
    assert StartLevel.objects.get(pk=row.pk).level == Level.GRID
    assert AuditEntry.objects.filter(action="admin.change", target_id=str(row.pk)).exists()


def test_a_matter_cannot_move_under_its_own_subtree(login, cast, catalogue):
    client = login(cast.sysadmin)
    top = catalogue["城乡建设"]
    child = catalogue["城乡建设 / 安全生产"]
    response = client.post(f"/admin/catalogue/matter/{top.pk}/change/", matter_form(top, parent=child.pk))
    assert response.status_code == 200
    assert Matter.objects.get(pk=top.pk).parent is None


def test_the_catalogue_list_filters_by_level_and_searches(login, cast, catalogue):
    client = login(cast.auditor)
    page = client.get("/admin/catalogue/matter/?level__exact=1").content.decode()
    assert "城乡建设" in page and "劳动和社会保障" in page and "事故处理" not in page
    page = client.get("/admin/catalogue/matter/?q=城管执法").content.decode()
    assert "010202" in page
    assert client.get("/admin/catalogue/responsibility/").status_code == 200
    assert client.get("/admin/catalogue/startlevel/").status_code == 200
    assert client.get("/admin/catalogue/matter/add/").status_code == 403


@pytest.fixture
def case(cast: Cast) -> Case:
    case = case_submit(by=cast.cindy, title="路灯不亮", longitude=120.008, latitude=36.008)
    case_accept(case=case, by=cast.dora)
    return case_dispatch(case=case, by=cast.dora)


def test_the_auditor_reads_cases_with_the_phone_masked(login, cast, case):
    client = login(cast.auditor)
    listing = client.get("/admin/cases/case/").content.decode()
    assert case.number in listing and "路灯不亮" in listing and "东一社区" in listing
    assert "138****0001" in listing and "13800000001" not in listing
    assert "诉求编号" in listing and "联系电话" in listing and "即将超期" in listing  # in Chinese
    assert "/admin/cases/case/add/" not in listing
    detail = client.get(f"/admin/cases/case/{case.pk}/change/")
    assert detail.status_code == 200
    page = detail.content.decode()
    assert "138****0001" in page and "13800000001" not in page
    assert 'name="_save"' not in page
    assert "dispatch" in page  # the event log, inline
    assert client.get(f"/admin/cases/case/?q={case.number}").content.decode().count(case.number) >= 1


@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "auditor"])
def test_nobody_adds_changes_or_deletes_a_case_in_the_admin(login, cast, case, who):
    client = login(cast[who])
    assert client.get("/admin/cases/case/add/").status_code == 403
    assert client.post("/admin/cases/case/add/", {"title": "x"}).status_code == 403
    assert client.post(f"/admin/cases/case/{case.pk}/change/", {"title": "改了"}).status_code == 403
    assert client.post(f"/admin/cases/case/{case.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.post("/admin/cases/case/", {"action": "delete_selected", "_selected_action": [case.pk]})
    assert response.status_code in (200, 302, 403)
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.title, fresh.version) == ("路灯不亮", case.version)


def test_only_the_auditor_sees_cases_and_supervision_orders(login, cast, case):
    assert login(cast.sysadmin).get("/admin/cases/case/").status_code == 403
    assert login(cast.auditor).get("/admin/cases/supervisionorder/").status_code == 200
    index = login(cast.sysadmin).get("/admin/").content.decode()
    assert "/admin/cases/deadlinepolicy/" in index and "/admin/catalogue/matter/" in index
    assert "/admin/cases/case/" not in index
