"""The model's routing advice where dispatchers work: the dispatch centre, the case page and the API; what a
different choice teaches it; and routing by itself above INTEL_AUTO_ROUTE, by the worker after the accept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from suban.cases.models import Case, Status
from suban.cases.services import case_accept, case_intake, case_submit
from suban.catalogue.models import Level, Matter, Responsibility
from suban.intel.classifier import Message, TextClassifier
from suban.intel.models import Correction
from suban.intel.receivers import enqueue_if_waiting
from suban.intel.routing import advice_for, auto_dispatch
from suban.org.models import Unit
from tests.api.contract import conforms
from tests.conftest import Cast
from tests.intel.conftest import LABELLED

WHERE = {"longitude": 120.005, "latitude": 36.005}  # grid S1C1G1
BUS = ("公交站台被拆", "小区门口公交车站被拆除，坐公交车不方便")


@pytest.fixture(scope="module")
def model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    model = TextClassifier.train([Message.of(t, x) for t, x, _ in LABELLED], [label for _, _, label in LABELLED])
    return model.save(tmp_path_factory.mktemp("models") / "matter-20260101.joblib")


@pytest.fixture
def trained(settings: Any, model_path: Path) -> Path:
    settings.INTEL_MATTER_MODEL = str(model_path)
    return model_path


@pytest.fixture
def untrained(settings: Any, tmp_path: Path) -> None:
    settings.INTEL_MATTER_MODEL = str(tmp_path / "none.joblib")


@pytest.fixture
def matters(org: dict[str, Unit]) -> dict[str, Matter]:
    found = {}
    for k, name in enumerate(["交通运输", "教育文体", "环境保护"]):
        found[name] = Matter.objects.create(code=f"M{k}", name=name, full_name=name, level=1)
    Responsibility.objects.create(matter=found["交通运输"], start_level=Level.DEPARTMENT, department=org["DEPT1"])
    Responsibility.objects.create(matter=found["环境保护"], start_level=Level.DEPARTMENT, department=org["DEPT2"])
    return found


def queued(callbacks: list[Any]) -> list[Any]:
    """The model's routing jobs among the callbacks run after commit (notifications have theirs too)."""
    return [c for c in callbacks if getattr(c, "func", None) is enqueue_if_waiting]


def browser(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="suban.accounts.backends.RoleBackend")
    return client


def new_case(cast: Cast, title: str = BUS[0], text: str = BUS[1]) -> Case:
    return case_submit(by=cast.cindy, title=title, text=text, **WHERE)


def test_without_a_model_the_pages_say_so_and_work_as_before(cast: Any, untrained: None) -> None:
    case = new_case(cast)
    assert advice_for(case).trained is False
    client = browser(cast.dora)
    page = client.get("/console/dispatch/").content.decode()
    assert 'data-testid="no-model"' in page and 'data-testid="model-choice"' not in page
    assert 'data-testid="no-model"' in client.get(f"/console/cases/{case.number}/").content.decode()
    body = client.get(f"/api/cases/{case.number}/suggestions").json()
    assert body["trained"] is False and body["suggestions"] == []


def test_the_dispatch_centre_offers_the_top_three_and_one_click_sends_it(
    cast: Any, trained: Path, matters: dict[str, Matter], org: dict[str, Unit]
) -> None:
    case = new_case(cast)
    client = browser(cast.dora)
    page = client.get("/console/dispatch/").content.decode()
    assert page.count('data-testid="model-choice"') == 3
    assert "交通运输" in page and org["DEPT1"].name in page
    # The first suggestion, in one click: accepted and sent to DEPT1, and nothing to correct.
    response = client.post(
        f"/console/cases/{case.number}/act/accept_dispatch/",
        {
            "version": case.version,
            "ctx": "dispatch",
            "form": "model-0",
            "unit": "城管局（DEPT1）",
            "matter": "交通运输（M0）",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.unit_id) == (Status.DISPATCHED, org["DEPT1"].pk)
    assert not Correction.objects.exists()


def test_choosing_another_suggestion_records_a_correction_the_next_training_reads(
    cast: Any, trained: Path, matters: dict[str, Matter], org: dict[str, Unit], tmp_path: Path
) -> None:
    case = new_case(cast)
    client = browser(cast.dora)
    response = client.post(
        f"/console/cases/{case.number}/act/accept_dispatch/",
        {
            "version": case.version,
            "ctx": "case",
            "form": "model-2",
            "unit": "住建局（DEPT2）",
            "matter": "环境保护（M2）",
        },
    )
    assert response.status_code == 302
    correction = Correction.objects.get()
    assert (correction.kind, correction.suggested, correction.chosen, correction.by) == (
        "matter",
        "交通运输",
        "M2",
        cast.dora,
    )
    out = tmp_path / "cases.csv"
    call_command("export_training_cases", out=str(out))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and lines[1].startswith(case.number) and lines[1].endswith(",M2,环境保护,help,1")


def test_another_unit_without_a_matter_is_recorded_as_a_unit_correction(
    cast: Any, trained: Path, matters: dict[str, Matter], org: dict[str, Unit]
) -> None:
    case = new_case(cast)
    case_accept(case=case, by=cast.dora)
    response = browser(cast.dora).post(
        f"/console/cases/{case.number}/act/dispatch/", {"version": case.version, "unit": "西街道（S2）"}
    )
    assert response.status_code == 302
    correction = Correction.objects.get()
    assert (correction.kind, correction.suggested, correction.chosen) == ("unit", "DEPT1", "S2")


def test_a_dispatch_through_the_api_teaches_the_model_as_the_console_does(
    cast: Any, trained: Path, matters: dict[str, Matter], org: dict[str, Unit]
) -> None:
    case = new_case(cast)
    case_accept(case=case, by=cast.dora)
    client = browser(cast.dora)
    stale = client.post(
        f"/api/cases/{case.number}/actions/dispatch",
        {"unit": "S2", "version": case.version - 1},
        content_type="application/json",
    )
    assert stale.status_code == 409 and not Correction.objects.exists()  # refused: nothing learnt
    response = client.post(
        f"/api/cases/{case.number}/actions/dispatch",
        {"unit": "S2", "version": case.version},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    correction = Correction.objects.get()
    assert (correction.kind, correction.suggested, correction.chosen, correction.by) == (
        "unit",
        "DEPT1",
        "S2",
        cast.dora,
    )


def test_the_case_page_and_the_api_show_the_suggestions(
    cast: Any, trained: Path, matters: dict[str, Matter], org: dict[str, Unit]
) -> None:
    case = new_case(cast)
    client = browser(cast.dora)
    page = client.get(f"/console/cases/{case.number}/").content.decode()
    assert 'data-testid="model-panel"' in page and page.count('data-testid="model-choice"') == 3
    response = client.get(f"/api/cases/{case.number}/suggestions")
    conforms("GET", f"/api/cases/{case.number}/suggestions", response)
    body = response.json()
    assert body["trained"] is True and len(body["suggestions"]) == 3
    first = body["suggestions"][0]
    assert first["matter"]["code"] == "M0" and first["unit"]["code"] == "DEPT1" and 0 < first["confidence"] <= 1
    # Not for citizens, and not outside one's reach.
    assert browser(cast.cindy).get(f"/api/cases/{case.number}/suggestions").status_code in (401, 403)
    assert browser(cast.bob).get(f"/api/cases/{case.number}/suggestions").status_code == 404


def test_a_sure_model_dispatches_an_accepted_case_after_the_accept_commits(
    cast: Any,
    trained: Path,
    matters: dict[str, Matter],
    org: dict[str, Unit],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.INTEL_AUTO_ROUTE = 0.01
    case = new_case(cast)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        case_accept(case=case, by=cast.dora)
        assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED  # not inside the accept
    assert queued(callbacks)
    case.refresh_from_db()
    assert (case.status, case.unit_id) == (Status.DISPATCHED, org["DEPT1"].pk)
    event = case.events.get(action="dispatch")
    assert event.actor is None and "交通运输" in event.note and "%" in event.note


def test_an_unsure_model_leaves_the_case_to_a_person(
    cast: Any, trained: Path, matters: dict[str, Matter], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.INTEL_AUTO_ROUTE = 1.0
    case = new_case(cast)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        case_accept(case=case, by=cast.dora)
    assert not queued(callbacks)  # nothing even queued
    settings.INTEL_AUTO_ROUTE = 0.999999
    assert auto_dispatch(case.pk) == "not sure"
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED


def test_a_case_dispatched_at_intake_is_left_alone(
    cast: Any,
    trained: Path,
    matters: dict[str, Matter],
    org: dict[str, Unit],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.INTEL_AUTO_ROUTE = 0.01
    with django_capture_on_commit_callbacks(execute=True):
        case = case_intake(by=cast.dora, dispatch=True, unit=org["S2"], title=BUS[0], text=BUS[1], **WHERE)
    case.refresh_from_db()
    assert case.unit_id == org["S2"].pk and case.events.filter(action="dispatch").count() == 1
    assert auto_dispatch(case.pk) == "not waiting"


def test_without_a_model_nothing_is_queued(
    cast: Any, untrained: None, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.INTEL_AUTO_ROUTE = 0.01
    case = new_case(cast)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        case_accept(case=case, by=cast.dora)
    assert not queued(callbacks)
    assert auto_dispatch(case.pk) == "no model"


def test_the_threshold_is_read_from_the_environment() -> None:
    import os
    import subprocess
    import sys

    code = "import django; django.setup()"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "suban.settings", "INTEL_AUTO_ROUTE": "1.5"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert done.returncode != 0 and "INTEL_AUTO_ROUTE" in done.stderr


def test_a_hotline_order_that_names_its_unit_teaches_the_model_once_the_import_commits(
    cast: Any, trained: Path, matters: dict[str, Matter], org: dict[str, Unit], django_capture_on_commit_callbacks: Any
) -> None:
    from suban.exchange.checking import checked_mapping
    from suban.exchange.models import Source, SourceKind
    from suban.exchange.orders import push_orders

    source = Source.objects.create(name="fz12345", label="福州12345", kind=SourceKind.HOTLINE)
    plan = checked_mapping(
        {
            "columns": {
                "order_id": "工单编号",
                "title": "标题",
                "text": "内容",
                "unit": "承办单位",
                "longitude": "经度",
                "latitude": "纬度",
            },
            "options": {"dispatch": True},
        },
        historical=False,
    )
    where = {"经度": str(WHERE["longitude"]), "纬度": str(WHERE["latitude"])}
    order = {"工单编号": "FZ1", "标题": BUS[0], "内容": BUS[1], "承办单位": "S2", **where}
    unnamed = {"工单编号": "FZ2", "标题": BUS[0], "内容": BUS[1] + "。", "承办单位": "", **where}
    with django_capture_on_commit_callbacks(execute=True):
        results = push_orders(source=source, plan=plan, orders=[order, unnamed], by=cast.dora)
    assert [r.result for r in results] == ["created", "created"], results
    # The hotline sent the first to 西街道 where the model says 城管局: a lesson. The second named no unit:
    # the list chose, and nobody taught anything.
    correction = Correction.objects.get()
    assert (correction.kind, correction.suggested, correction.chosen, correction.by) == (
        "unit",
        "DEPT1",
        "S2",
        cast.dora,
    )
    assert correction.case.number == results[0].case_number
