"""A real Open311 client against the live test server: the `georeport` package (PyPI) reads services,
definitions and requests in JSON and in XML; a request is created with a plain form POST (georeport itself
does not create requests) and read back through georeport."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from georeport import GeoReport

from suban.cases.models import Case, Channel
from tests.open311.conftest import PHONE, form

# serialized_rollback: its flush then leaves the migrations' rows to be restored, not recreated by post_migrate
# (a later test that restores them would find the content types there twice).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def one_request_per_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """requests keeps connections alive; the live server's thread for such a connection would outlive the
    test (and hold a database connection). Each request closes its connection instead."""
    plain = requests.utils.default_headers

    def closing() -> Any:
        headers = plain()
        headers["Connection"] = "close"
        return headers

    monkeypatch.setattr(requests.sessions, "default_headers", closing)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_what_it_created(live_server: Any, org, matters, app_key, fmt):
    root = f"{live_server.url}/open311/v2"
    client = GeoReport(root, jurisdiction="D", api_key=app_key, output_format=fmt)

    services = client.get_service_list()
    assert [s["service_code"] for s in services][:3] == ["01", "0101", "010101"]
    definition = client.get_service_definition("010101")
    attributes = definition["attributes"] if fmt == "json" else definition["attributes"]["attribute"]
    assert [a["code"] for a in attributes][:2] == ["title", "nature"]

    posted = requests.post(f"{root}/requests.{fmt}", data=form(app_key, jurisdiction_id="D"), timeout=10)
    assert posted.status_code == 200, posted.text
    assert PHONE not in posted.text
    case = Case.objects.get()
    assert case.channel == Channel.OPEN311 and case.contact_phone == PHONE

    one = client.get_service_request(case.number)
    assert one["service_request_id"] == case.number and one["status"] == "open"
    assert one["service_code"] == "010101"
    found = client.get_service_requests(service_code="010101", status="open")
    # xmltodict gives one request as a mapping, several as a list
    rows = found if isinstance(found, list) else [found]
    assert [r["service_request_id"] for r in rows] == [case.number]
    if fmt == "json":  # georeport's XML path cannot read an empty list (xmltodict gives None for it)
        assert client.get_service_requests(status="closed") == []

    with pytest.raises(requests.HTTPError) as missing:
        client.get_service_request("2026010199999")
    assert missing.value.response is not None and missing.value.response.status_code == 404
