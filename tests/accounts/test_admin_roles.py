"""The three admin roles: separated, each doing only what its table grants."""

import pytest
from django.db import IntegrityError, transaction

from suban.accounts.models import User
from suban.accounts.services import staff_create, staff_set_admin_role, staff_set_roles
from suban.errors import Forbidden, Invalid
from tests.conftest import PASSWORD


def test_the_system_admin_keeps_master_data_but_cannot_read_the_audit_log(login, cast):
    client = login(cast.sysadmin)
    assert client.get("/admin/org/unit/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/audit/auditentry/").status_code == 403


def test_the_auditor_reads_everything_and_changes_nothing(login, cast, org):
    client = login(cast.auditor)
    assert client.get("/admin/audit/auditentry/").status_code == 200
    page = client.get(f"/admin/org/unit/{org['S1'].pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    response = client.post(f"/admin/org/unit/{org['S1'].pk}/change/", {"name": "renamed"})
    assert response.status_code == 403
    org["S1"].refresh_from_db()
    assert org["S1"].name == "东街道"
    assert client.get("/admin/org/unit/add/").status_code == 403


def test_the_security_admin_cannot_change_units_or_read_the_audit_log(login, cast, org):
    client = login(cast.secadmin)
    assert client.get("/admin/org/unit/").status_code == 200
    assert client.get("/admin/org/unit/add/").status_code == 403
    assert client.get("/admin/audit/auditentry/").status_code == 403


def test_staff_without_an_admin_role_cannot_enter_the_admin(client, cast):
    client.post("/login/", {"username": "dora", "password": PASSWORD})
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    refused = client.post("/admin/login/", {"username": "dora", "password": PASSWORD})
    assert refused.status_code == 200
    assert "_auth_user_id" not in client.session or client.session["_auth_user_id"] == str(cast.dora.pk)


def test_no_one_holds_two_admin_roles(cast):
    auditor = staff_set_admin_role(by=cast.secadmin, user=cast.auditor, admin_role="system")
    assert User.objects.get(pk=auditor.pk).admin_role == "system"


def test_only_the_security_admin_hands_out_admin_roles(cast):
    with pytest.raises(Forbidden):
        staff_set_admin_role(by=cast.sysadmin, user=cast.alice, admin_role="audit")
    with pytest.raises(Forbidden):
        staff_set_admin_role(by=cast.secadmin, user=cast.secadmin, admin_role="system")


def test_an_admin_role_clears_and_forbids_work_roles(cast):
    staff_set_admin_role(by=cast.secadmin, user=cast.alice, admin_role="audit")
    alice = User.objects.get(pk=cast.alice.pk)
    assert alice.roles == frozenset()
    assert not alice.staff_roles.exists()
    with pytest.raises(Invalid):
        staff_set_roles(by=cast.sysadmin, user=alice, roles=["street_handler"])


def test_a_role_must_fit_its_unit(cast, org):
    with pytest.raises(Invalid):
        staff_create(by=None, username="x", name="x", unit=org["S1"], roles=["grid_worker"])
    with pytest.raises(Invalid):
        staff_create(by=None, username="y", name="y", unit=org["DEPT1"], roles=["dispatcher"])


def test_there_are_no_superusers(db):
    with pytest.raises(ValueError):
        User.objects.create_superuser("root", password=PASSWORD)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="sneaky", is_superuser=True)


def test_the_system_admin_creates_staff_through_the_admin(login, cast, org):
    client = login(cast.sysadmin)
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "newhandler",
            "name": "新人",
            "unit": org["S1C1"].pk,
            "roles": ["community_handler"],
            "phone": "13912345678",
            "password": "Newbie-2026",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="newhandler")
    assert user.roles == {"community_handler"}
    assert user.phone == "13912345678"
    assert user.phone_encrypted and "13912345678" not in user.phone_encrypted
    assert user.check_password("Newbie-2026")
    listing = client.get("/admin/accounts/user/?q=newhandler").content.decode()
    assert "139****5678" in listing and "13912345678" not in listing


def test_the_admin_refuses_a_role_that_does_not_fit_and_keeps_the_input(login, cast, org):
    client = login(cast.sysadmin)
    response = client.post(
        "/admin/accounts/user/add/",
        {"username": "wrongfit", "name": "错位", "unit": org["S1"].pk, "roles": ["grid_worker"], "is_active": "on"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="wrongfit").exists()
    assert 'value="wrongfit"' in response.content.decode()


def test_the_system_admin_cannot_grant_an_admin_role_through_the_admin(login, cast, org):
    client = login(cast.sysadmin)
    client.post(
        f"/admin/accounts/user/{cast.alice.pk}/change/",
        {"name": "Alice", "unit": org["S1"].pk, "roles": ["street_handler"], "admin_role": "audit", "is_active": "on"},
    )
    assert User.objects.get(pk=cast.alice.pk).admin_role == ""
