"""Schemathesis over the whole API, as the dispatcher: no answer is a 5xx, every answer matches the published
schema and its documented status codes. Each operation is one test on a fresh database (the cast and a few
cases in different states, at a frozen time); every example runs in a savepoint that is rolled back, so one
example's writes never change what the next one sees, and the examples are derandomized: the same run every
time. About 4,000 requests in all (25 generated examples per operation and schemathesis's coverage cases);
run on SQLite and on PostgreSQL, which refuses a NUL in text where SQLite keeps it."""

from __future__ import annotations

from collections.abc import Iterator
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
from suban.api.table import ENDPOINTS
from suban.cases.lifecycle import BY_ACTION
from suban.cases.models import Case
from suban.cases.services import (
    case_accept,
    case_claim,
    case_dispatch,
    case_reply,
    case_review_reply,
    case_submit,
)
from suban.exchange.models import ColumnMapping, Source, SourceKind
from suban.wsgi import application
from tests.api.conftest import IN_S1C1G1
from tests.conftest import Cast
from tests.exchange.conftest import HOTLINE_MAPPING
from tests.timing import FrozenTime, at

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = application

# Real values, filled by the `world` fixture, that path parameters and body fields of these names may take
# instead of the generated ones: a random case number only ever finds 404, a random unit code only a 400, and a
# random version a 409 (None: no stale check).
KNOWN: dict[str, list[Any]] = {}
BODY_FIELDS = {
    "version": "no_version",
    "unit": "unit",
    "to_unit": "unit",
    "co_units": "co_units",
    "into": "number",
    "case": "number",
}


def some_known(values: dict[str, Any], choices: dict[str, list[Any]]) -> Any:
    """Each value with choices: itself or one of them, drawn by Hypothesis."""
    return st.fixed_dictionaries(
        {
            name: st.sampled_from([value, *choices[name]]) if choices.get(name) else st.just(value)
            for name, value in values.items()
        }
    )


def numbers_for(path: str) -> list[str]:
    """For an action's endpoint, the known cases in a state the lifecycle table lets it act on (three times over:
    a case that can take the action is the likelier draw); for other paths, every known case."""
    slug = path.rsplit("/actions/", 1)[1] if "/actions/" in path else None
    if slug not in ENDPOINTS:
        return KNOWN.get("number", [])
    sources = {status for action in ENDPOINTS[slug] for status in BY_ACTION[action].sources}
    return [number for status, number in KNOWN.get("number_in", []) if status in sources] * 3


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
    if not path_parameters:
        return st.just(path_parameters)
    choices = {name: KNOWN.get(name, []) for name in path_parameters}
    if "number" in path_parameters:
        choices["number"] = numbers_for(context.operation.path)
    return some_known(path_parameters, choices)


def spiked(value: Any) -> Any:
    """A copy of a query or JSON body with a NUL in its first string, or None when it holds none. PostgreSQL's text
    refuses the character, and a few dozen examples of random text seldom hold one."""
    if isinstance(value, str):
        return value + "\x00"
    if isinstance(value, dict):
        for key, item in value.items():
            found = spiked(item)
            if found is not None:
                return {**value, key: found}
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = spiked(item)
            if found is not None:
                return [*value[:index], found, *value[index + 1 :]]
    return None


def sometimes_spiked(value: Any) -> Any:
    with_nul = spiked(value)
    return st.just(value) if with_nul is None else st.sampled_from([value, value, value, with_nul])


@schema.hook
def flatmap_query(context: Any, query: Any) -> Any:
    return sometimes_spiked(query)


@schema.hook
def flatmap_body(context: Any, body: Any) -> Any:
    if not isinstance(body, dict):
        return sometimes_spiked(body)
    known = some_known(body, {name: KNOWN.get(BODY_FIELDS[name], []) for name in body if name in BODY_FIELDS})
    return known.flatmap(sometimes_spiked)


def case_in(cast: Cast, title: str, *, claimed: bool = False) -> Case:
    """A case in 东一社区第一网格, accepted and dispatched to 东一社区 by dora (and claimed by carol)."""
    case = case_submit(by=cast.cindy, title=title, text=title, **IN_S1C1G1)
    case_accept(case=case, by=cast.dora)
    case = case_dispatch(case=case, by=cast.dora)
    return case_claim(case=case, by=cast.carol) if claimed else case


@pytest.fixture
def world(cast: Cast, monkeypatch: Any) -> Iterator[dict[str, str]]:
    """Cases in the states the dispatcher acts on (new, accepted, dispatched, in progress, awaiting review,
    awaiting the return visit), a hotline source, and the dispatcher's token; at a fixed time, in a year the
    calendar knows."""
    monkeypatch.setattr(timezone, "now", FrozenTime(at(2026, 2, 9, 9)))
    new = case_submit(by=cast.cindy, title="路灯不亮", text="东门口路灯坏了", longitude=120.008, latitude=36.008)
    accepted = case_accept(case=case_submit(by=cast.chen, title="占道经营", **IN_S1C1G1), by=cast.dora)
    dispatched = case_in(cast, "井盖缺失")
    claimed = case_in(cast, "噪音扰民", claimed=True)
    reviewing = case_reply(case=case_in(cast, "道路积水", claimed=True), by=cast.carol, reply="已疏通。")
    visiting = case_reply(case=case_in(cast, "垃圾未清", claimed=True), by=cast.carol, reply="已清运。")
    visiting = case_review_reply(case=visiting, by=cast.dora, approve=True)
    source = Source.objects.create(name="fz12345", label="福州12345", kind=SourceKind.HOTLINE)
    ColumnMapping.objects.create(source=source, name="default", **HOTLINE_MAPPING)
    cases = (new, accepted, dispatched, claimed, reviewing, visiting)
    KNOWN.update(
        number=[c.number for c in cases],
        number_in=[(c.status, c.number) for c in cases],
        unit_id=[cast.carol.unit_id, cast.dora.unit_id],
        unit=["S1C1", "S1C2", "S1", "DEPT1"],
        co_units=[["DEPT1"], ["DEPT2", "S1C2"]],
        no_version=[None],
        source=[source.name],
    )
    # The throttles would answer 429 long before the examples run out.
    monkeypatch.setattr(throttles.reads, "num_requests", 10**9)
    monkeypatch.setattr(throttles.writes, "num_requests", 10**9)
    cache.clear()
    # Called through WSGI, Django would close the test's connection (and its transaction) after each request;
    # its own test client unhooks the same signal handler.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    _token, key = token_create(by=None, user=cast.dora, name="fuzz")
    try:
        yield {"Authorization": f"Bearer {key}"}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        KNOWN.clear()


@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_never_fails_and_keeps_its_contract(case: Any, world: dict[str, str]) -> None:
    with transaction.atomic():
        case.call_and_validate(
            headers=world, checks=[not_a_server_error, response_schema_conformance, status_code_conformance]
        )
        transaction.set_rollback(True)
