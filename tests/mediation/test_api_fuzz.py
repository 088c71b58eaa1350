"""Schemathesis over the mediation endpoints, as the mediators who act on disputes: no answer is a 5xx, and every
answer matches the published schema and its documented status codes. tests/api/test_fuzz.py runs every endpoint
as the dispatch centre, who reads no dispute; here each example is sent as mia (the centre's head: intake,
assignment, closing) and as rhea (a room's head who leads the disputes she is given), with real dispute numbers
in every state and real ids of rooms, mediators, desks and risk reports, so that the generated values reach the
services rather than stopping at a 404. Each example runs in a savepoint that is rolled back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from suban.api import throttles
from suban.api.api import api
from suban.api.services import token_create
from suban.mediation.services import (
    dispute_accept,
    dispute_agree,
    dispute_assign,
    dispute_decline,
    dispute_fail,
    dispute_session,
    risk_report,
)
from suban.org.models import Unit
from suban.wsgi import application
from tests.conftest import Cast
from tests.mediation.conftest import Centre, walk_in
from tests.timing import FrozenTime, at

schema = schemathesis.openapi.from_dict(api.get_openapi_schema()).include(path_regex="^/api/mediation/")
schema.app = application

# Real values for path parameters, query parameters and body fields of these names, filled by `world`.
KNOWN: dict[str, list[Any]] = {}
FIELDS = {
    "number": "number",
    "dispute": "number",
    "room": "room",
    "lead": "mediator",
    "joint": "mediators",
    "desks": "desks",
    "unit": "unit",
    "grid": "grid",
    "risk_report": "risk_report",
    "expected_version": "no_version",
    "held_at": "held_at",
    "signed_on": "signed_on",
    "parties": "parties",
    "source": "source",
}


def some_known(values: dict[str, Any]) -> Any:
    """Each value with known choices: itself or one of them (the known ones the likelier), drawn by Hypothesis."""
    return st.fixed_dictionaries(
        {
            name: st.sampled_from([value, *KNOWN[FIELDS[name]] * 3])
            if name in FIELDS and KNOWN.get(FIELDS[name])
            else st.just(value)
            for name, value in values.items()
        }
    )


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
    return some_known(path_parameters) if path_parameters else st.just(path_parameters)


@schema.hook
def flatmap_query(context: Any, query: Any) -> Any:
    return some_known(query) if isinstance(query, dict) else st.just(query)


@schema.hook
def flatmap_body(context: Any, body: Any) -> Any:
    return some_known(body) if isinstance(body, dict) else st.just(body)


@pytest.fixture
def world(centre: Centre, cast: Cast, org: dict[str, Unit], monkeypatch: Any) -> Iterator[list[dict[str, str]]]:
    """Disputes registered, accepted, assigned, mediating, agreed, failed and declined, a risk report, and the
    tokens of mia and rhea; at a fixed time."""
    monkeypatch.setattr(timezone, "now", FrozenTime(at(2026, 2, 9, 9)))
    registered = walk_in(centre, org)
    accepted = dispute_accept(dispute=walk_in(centre, org), by=centre.mia)

    def assigned() -> Any:
        dispute = dispute_accept(dispute=walk_in(centre, org), by=centre.mia)
        lead, joint = centre.mediator("rhea"), [centre.mediator("max")]
        return dispute_assign(dispute=dispute, by=centre.mia, room=centre.street, lead=lead, joint=joint)

    def mediating() -> Any:
        dispute = assigned()
        held = timezone.now() - timedelta(hours=1)
        dispute_session(dispute=dispute, by=centre.rhea, held_at=held, place="调解室", attended="双方", said="x")
        return dispute

    waiting = assigned()
    talking = mediating()
    agreed = dispute_agree(
        dispute=mediating(), by=centre.rhea, kind="written", terms="赔偿", signed_on=timezone.localdate()
    )
    failed = dispute_fail(dispute=mediating(), by=centre.rhea, referral="litigation", reason="分歧过大")
    declined = dispute_decline(dispute=walk_in(centre, org), by=centre.mia, reason="已起诉")
    report = risk_report(
        by=cast.gary, grid=org["S1C1G1"], category="land", level="general", parties="王某", place="菜地", what="争执"
    )
    disputes = (registered, accepted, waiting, talking, agreed, failed, declined)
    KNOWN.update(
        number=[d.number for d in disputes],
        room=[centre.centre.pk, centre.street.pk, centre.village.pk],
        mediator=[centre.mediator(n).pk for n in ("mia", "max", "rhea", "ray", "vic")],
        mediators=[[centre.mediator("max").pk], [centre.mediator("ray").pk, centre.mediator("mia").pk]],
        desks=[[centre.desk.pk]],
        unit=["S1C1", "S1C2", "S1", "S2C1", "S1C1G1", "DEPT1"],
        grid=["S1C1G1", "S2C1G1", "S1C1"],
        risk_report=[report.pk],
        no_version=[None],
        held_at=[(timezone.now() - timedelta(hours=2)).isoformat()],
        signed_on=[timezone.localdate().isoformat()],
        parties=[
            [{"side": "applicant", "name": "张三"}, {"side": "respondent", "name": "李四", "phone": "13900000009"}]
        ],
        source=["walk_in", "call"],
    )
    monkeypatch.setattr(throttles.reads, "num_requests", 10**9)
    monkeypatch.setattr(throttles.writes, "num_requests", 10**9)
    cache.clear()
    # Called through WSGI, Django would close the test's connection (and its transaction) after each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    headers = []
    for user in (centre.mia, centre.rhea):
        _token, key = token_create(by=None, user=user, name="fuzz")
        headers.append({"Authorization": f"Bearer {key}"})
    try:
        yield headers
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        KNOWN.clear()


@schema.parametrize()
@settings(
    max_examples=15,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_mediation_api_never_fails_and_keeps_its_contract(case: Any, world: list[dict[str, str]]) -> None:
    for headers in world:
        with transaction.atomic():
            case.call_and_validate(
                headers=headers, checks=[not_a_server_error, response_schema_conformance, status_code_conformance]
            )
            transaction.set_rollback(True)
