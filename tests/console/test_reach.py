"""What a unit sees, through every face: a request only once it is dispatched (to it, or in its area), and a
complaint about its own staff never (the console's inbox, search, export, case page and files, the API, grid
work, the dispatch forms)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.test import Client
from openpyxl import load_workbook

from suban.cases.models import Attachment, Case, Status
from suban.cases.services import case_accept, case_dispatch
from tests.console.conftest import fresh
from tests.h5.conftest import CITIZEN_BACKEND, form_data, jpeg


def sees(page: Any, case: Case) -> dict[str, bool]:
    """Where `page`'s person meets the case: each face's list or page."""
    found = {
        "inbox": case.number in page.get("/console/inbox/", {"tab": "all"}).content.decode(),
        "search": case.number in page.get("/console/inbox/", {"tab": "all", "q": case.title}).content.decode(),
        "case page": page.get(f"/console/cases/{case.number}/").status_code == 200,
        "api list": case.number in page.get("/api/cases", {"limit": 100}).content.decode(),
        "api case": page.get(f"/api/cases/{case.number}").status_code == 200,
        "api events": page.get(f"/api/cases/{case.number}/events").status_code == 200,
    }
    export = load_workbook(BytesIO(page.get("/console/inbox/export.xlsx", {"tab": "all"}).content), read_only=True)
    found["export"] = any(case.number in [str(v) for v in row] for row in export.active.iter_rows(values_only=True))
    for attachment in Attachment.objects.filter(case=case):
        found["file"] = page.get(f"/console/attachments/{attachment.pk}/").status_code == 200
    return found


def nowhere(found: dict[str, bool]) -> bool:
    return not any(found.values())


def everywhere(found: dict[str, bool]) -> bool:
    return all(found.values())


def test_a_community_sees_a_request_in_its_area_once_it_is_dispatched(page, cast, report, org):
    case = report("东一社区门口路灯不亮", text="晚上很黑")
    carol, alice = page(cast.carol), page(cast.alice)
    assert nowhere(sees(carol, case)) and nowhere(sees(alice, case))
    assert carol.get("/api/inbox/counts").json()["new"] == 0
    case_accept(case=case, by=cast.dora)
    assert nowhere(sees(carol, case))
    # Sent to a department: the community and the street follow it in their area.
    case_dispatch(case=case, by=cast.dora, unit=org["DEPT1"])
    assert everywhere(sees(carol, case)) and everywhere(sees(alice, case))


def test_a_confidential_complaint_about_a_communitys_staff_never_reaches_it(page, cast, org, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cindy = Client()
    cindy.force_login(cast.cindy, backend=CITIZEN_BACKEND)
    assert 'data-testid="complained-unit"' in cindy.get("/h5/new/").content.decode()
    sent = cindy.post(
        "/h5/new/",
        {
            **form_data(
                title="社区工作人员态度恶劣",
                text="去东一社区办事，工作人员推诿扯皮，还出言不逊",
                nature="complaint",
                confidential="on",
                complained_unit=str(org["S1C1"].pk),
            ),
            "photos": [jpeg()],
        },
    )
    assert sent.status_code == 302, sent.content.decode()[:2000]
    case = Case.objects.get(title="社区工作人员态度恶劣")
    assert case.complained_unit == org["S1C1"] and case.confidential
    carol, gary, alice, dora = page(cast.carol), page(cast.gary), page(cast.alice), page(cast.dora)

    # The dispatch centre cannot send it into the community; by the list it goes to the street above.
    refused = dora.act(case, "accept_dispatch", {"ctx": "dispatch", "form": "other", "unit": "S1C1"})
    assert "东一社区" in refused.content.decode() and fresh(case).status == Status.NEW
    dora.act(case, "accept_dispatch", {"ctx": "dispatch", "form": "other", "co_units": ["S1C1G1"], "unit": "S1"})
    assert fresh(case).status == Status.NEW  # a co-handler inside it is refused as well
    sent_on = dora.act(case, "accept_dispatch", {"ctx": "dispatch", "form": "other"})
    assert sent_on.status_code == 302
    case = fresh(case)
    assert case.unit == org["S1"] and case.status == Status.DISPATCHED
    page_html = dora.get(f"/console/cases/{case.number}/").content.decode()
    assert 'data-testid="complained-unit"' in page_html

    assert everywhere(sees(alice, case))
    for person in (carol, gary):
        assert nowhere(sees(person, case))
    assert case.number not in gary.get("/console/grid/").content.decode()
    assert carol.get("/api/inbox/counts").json()["to_claim"] == 0
    assert dora.get(f"/api/cases/{case.number}").json()["complained_unit"]["code"] == "S1C1"


def test_the_api_takes_the_unit_complained_about_and_refuses_to_send_the_case_there(page, cast, org):
    dora = page(cast.dora).client
    body = {
        "title": "街道工作人员吃拿卡要",
        "nature": "report",
        "channel": "hotline",
        "longitude": 120.008,
        "latitude": 36.008,
        "complained_unit": "S1",
        "dispatch": True,
    }
    # The list names the community, under the street complained about: a person must choose.
    by_list = dora.post("/api/cases", body, content_type="application/json")
    assert by_list.status_code == 400 and by_list.json()["error"]["field"] == "unit"
    made = dora.post("/api/cases", {**body, "unit": "DEPT1"}, content_type="application/json")
    assert made.status_code == 201 and made.json()["complained_unit"]["code"] == "S1"
    number = made.json()["number"]
    for person in ("alice", "carol", "gary"):
        assert page(cast[person]).get(f"/api/cases/{number}").status_code == 404
    assert page(cast.dan).get(f"/api/cases/{number}").status_code == 200
