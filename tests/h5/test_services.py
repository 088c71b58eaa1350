"""Convenience services: the seeded list, the admin's say, and a proxy-handling request (代办)."""

from __future__ import annotations

import uuid

from suban.accounts.roles import admin_role_permissions
from suban.cases.models import Case, Nature
from suban.catalogue.models import Matter
from suban.h5.models import ConvenienceService


def test_the_migration_offers_eight_real_services(db):
    names = list(ConvenienceService.objects.filter(is_active=True).values_list("name", flat=True))
    assert len(names) == 8
    assert {"高龄津贴申领", "最低生活保障申请", "居住证办理", "独生子女父母奖励扶助"} <= set(names)
    for service in ConvenienceService.objects.all():
        assert service.summary and service.eligibility and len(service.material_list) >= 2


def test_the_list_and_a_service_page(as_citizen, cast):
    client = as_citizen(cast.cindy)
    service = ConvenienceService.objects.get(name="高龄津贴申领")
    listing = client.get("/h5/services/").content.decode()
    assert "高龄津贴申领" in listing and f'data-service="{service.pk}"' in listing
    page = client.get(f"/h5/services/{service.pk}/").content.decode()
    assert "户口簿" in page and 'id="proxy-form"' in page and 'name="contact_name"' in page


def test_a_proxy_request_becomes_a_help_case_under_the_services_matter(as_citizen, cast, frozen):
    matter = Matter.objects.create(code="99", name="福利事业", full_name="民政 / 福利慈善 / 福利事业")
    service = ConvenienceService.objects.get(name="高龄津贴申领")
    service.matter = matter
    service.save()
    client = as_citizen(cast.cindy)
    data = {
        "key": str(uuid.uuid4()),
        "contact_name": "张大爷家属",
        "contact_phone": "13912345678",
        "address": "东一社区5号楼",
        "note": "老人今年满80岁，行动不便",
    }
    response = client.post(f"/h5/services/{service.pk}/", data)
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/h5/submitted/{case.number}/"
    assert case.title == "代办：高龄津贴申领" and case.nature == Nature.HELP and case.matter == matter
    assert case.text == "老人今年满80岁，行动不便" and case.contact_name == "张大爷家属"
    assert case.contact_phone == "13912345678" and case.citizen == cast.cindy
    again = client.post(f"/h5/services/{service.pk}/", data)
    assert again["Location"] == response["Location"] and Case.objects.count() == 1


def test_a_proxy_request_keeps_what_was_typed_on_error(as_citizen, cast, frozen):
    service = ConvenienceService.objects.get(name="临时救助")
    data = {"key": str(uuid.uuid4()), "contact_name": "", "contact_phone": "12", "note": "家中失火"}
    response = as_citizen(cast.cindy).post(f"/h5/services/{service.pk}/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="error-contact_name"' in body and "家中失火" in body
    data["contact_name"] = "刘女士"
    response = as_citizen(cast.cindy).post(f"/h5/services/{service.pk}/", data)
    assert response.status_code == 200
    assert 'data-testid="error-contact_phone"' in response.content.decode()
    assert not Case.objects.exists()


def test_an_inactive_service_is_not_offered(as_citizen, cast):
    service = ConvenienceService.objects.get(name="居住证办理")
    service.is_active = False
    service.save()
    client = as_citizen(cast.cindy)
    assert "居住证办理" not in client.get("/h5/services/").content.decode()
    assert client.get(f"/h5/services/{service.pk}/").status_code == 404


def test_the_system_admin_keeps_the_list(db):
    assert "h5.change_convenienceservice" in admin_role_permissions("system")
    assert "h5.change_convenienceservice" not in admin_role_permissions("security")


def test_the_admin_pages_open_for_the_system_admin(client, cast):
    client.force_login(cast.sysadmin, backend="suban.accounts.backends.RoleBackend")
    assert client.get("/admin/h5/convenienceservice/").status_code == 200
    service = ConvenienceService.objects.first()
    assert client.get(f"/admin/h5/convenienceservice/{service.pk}/change/").status_code == 200
